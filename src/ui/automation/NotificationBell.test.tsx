import { render } from 'solid-js/web'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultSchema } from '../../domain/defaultSchema'
import { makeAutomationTestDoc, type AutomationTestDoc } from '../../sync/automationStore.testkit'
import { createAutomation } from './createAutomation'
import { NotificationBell } from './NotificationBell'

const note = (id: string, member: string, at: string) => ({ id, member, message: `New lead ${id}`, entity: 'leads', recordId: `lead-${id}`, ruleId: 'tell', at })
const turn = () => new Promise((resolve) => setTimeout(resolve, 0))

let dispose: (() => void) | undefined
afterEach(() => { dispose?.(); document.body.innerHTML = '' })

function mount(doc: AutomationTestDoc, memberId: string) {
  const opened: string[] = []
  const root = document.createElement('div')
  document.body.append(root)
  dispose = render(() => {
    const automation = createAutomation(doc.storeFor(memberId))
    return <NotificationBell automation={automation} schema={defaultSchema()} records={{ href: (e, r) => `/${e}/${r}`, open: (e, r) => opened.push(`${e}/${r}`) }} />
  }, root)
  const q = (testId: string) => root.querySelectorAll<HTMLElement>(`[data-testid="${testId}"]`)
  return { opened, q }
}

describe('NotificationBell', () => {
  it('counts the member\'s unread notifications as they arrive (a teammate\'s writer too), newest first; one opens its record and is read', async () => {
    const doc = makeAutomationTestDoc()
    doc.addNotifications([note('a', 'ann', '2026-12-06T09:00:00.000Z'), note('x', 'bob', '2026-12-06T09:30:00.000Z')])
    const { opened, q } = mount(doc, 'ann')
    expect(q('notification-count')[0]?.textContent).toBe('1')
    // another writer (the relay, a teammate's app) adds one for Ann: the bell follows
    doc.addNotifications([note('b', 'ann', '2026-12-06T10:00:00.000Z')])
    await turn()
    expect(q('notification-count')[0]?.textContent).toBe('2')
    q('notification-bell')[0]!.click()
    expect([...q('notification-item')].map((i) => i.querySelector('.kanso-bell-message')?.textContent)).toEqual(['New lead b', 'New lead a'])
    q('notification-item')[1]!.click()
    await turn()
    expect(opened).toEqual(['leads/lead-a'])
    expect(q('notification-count')[0]?.textContent).toBe('1')
    expect(doc.storedNotification('ann|a')).toMatchObject({ readAt: expect.any(String) })
    expect(doc.storedNotification('bob|x')).not.toHaveProperty('readAt')
  })

  it('says there is nothing new when all are read', async () => {
    const doc = makeAutomationTestDoc()
    const { q } = mount(doc, 'ann')
    expect(q('notification-count')).toHaveLength(0)
    q('notification-bell')[0]!.click()
    await turn()
    expect(document.body.textContent).toContain('Nothing new')
  })
})
