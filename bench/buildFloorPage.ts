import { join } from 'node:path'
import { build } from 'vite'
import { PROJECT_ROOT } from '../server/config'

/** Where the relay serves the floor page, inside the bench's app build (never in dist/). */
export const FLOOR_PATH = '/bench-floor/floor.html'

/**
 * Builds bench/floor/ with Vite, as the app is built (same Vite, same target), into
 * `<appDir>/bench-floor/`, after the app's build: the relay serving the bench's build serves it
 * on the app's origin (so it reads the app's IndexedDB), and the app's service worker does not
 * precache it.
 */
export async function buildFloorPage(appDir: string): Promise<void> {
  await build({
    configFile: false,
    root: join(PROJECT_ROOT, 'bench/floor'),
    base: '/bench-floor/',
    logLevel: 'warn',
    build: {
      outDir: join(appDir, 'bench-floor'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 4000,
      rollupOptions: { input: join(PROJECT_ROOT, 'bench/floor/floor.html') },
    },
  })
}
