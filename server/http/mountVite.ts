import type { Server } from 'node:http'
import { join } from 'node:path'
import type { Connect, ViteDevServer } from 'vite'

/**
 * `--dev`: Vite in middleware mode inside the relay's HTTP server, so one process serves the
 * app with hot reload, the API and /sync. The proxy in vite.config.ts (for a standalone
 * `vite` dev server) is dropped here: the relay answers /api and /sync itself.
 */
export async function mountVite(httpServer: Server, root: string): Promise<{ middlewares: Connect.Server; close(): Promise<void> }> {
  const { createServer } = await import('vite')
  const vite: ViteDevServer = await createServer({
    root,
    configFile: join(root, 'vite.config.ts'),
    appType: 'spa',
    // HMR's websocket shares the relay's port (Vite 8 spells `hmr: { server }` as `ws: { server }`).
    server: { middlewareMode: true, ws: { server: httpServer } },
    plugins: [
      {
        name: 'kanso-relay-dev',
        config(config) {
          if (config.server) delete config.server.proxy
        },
      },
    ],
  })
  return { middlewares: vite.middlewares, close: () => vite.close() }
}
