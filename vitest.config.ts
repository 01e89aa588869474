import { defineConfig } from 'vitest/config'
import solid from 'vite-plugin-solid'

// Two projects: Node-side code (domain, crdt, relay) must not see the Solid plugin, or `ws`
// resolves to its browser stub; UI code runs in happy-dom with Solid's compiler.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/domain/**/*.test.ts', 'src/crdt/**/*.test.ts', 'src/boot/**/*.test.ts', 'server/**/*.test.ts', 'tests/integration/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        plugins: [solid()],
        resolve: { conditions: ['development', 'browser'] },
        test: {
          name: 'ui',
          environment: 'happy-dom',
          include: ['src/ui/**/*.test.{ts,tsx}', 'src/sync/**/*.test.ts'],
        },
      },
    ],
  },
})
