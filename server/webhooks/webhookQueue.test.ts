import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createMemoryWebhookQueue } from './memoryWebhookQueue'
import { createSqliteWebhookQueue } from './sqliteWebhookQueue'
import { describeWebhookQueueContract } from './webhookQueue.contract'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

describeWebhookQueueContract('memory', { create: createMemoryWebhookQueue })

const files = new WeakMap<object, string>()
describeWebhookQueueContract('sqlite', {
  create() {
    const dir = mkdtempSync(join(tmpdir(), 'kanso-webhooks-'))
    dirs.push(dir)
    const file = join(dir, 'kanso.sqlite')
    const queue = createSqliteWebhookQueue(file)
    files.set(queue, file)
    return queue
  },
  reopen(queue) {
    const file = files.get(queue)
    if (!file) throw new Error('unknown queue')
    queue.close()
    return createSqliteWebhookQueue(file)
  },
})
