import { defineConfig } from '@playwright/test'

// Browsers cannot be downloaded here: Playwright drives the system Chromium.
export const chromiumPath = process.env.KANSO_CHROMIUM ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 2,
  fullyParallel: false,
  // No retries: a retry hid flakes (a key pressed before its editor was there, a Cancel clicked
  // after the import had ended, fixed timers in the harness). A test that fails once is a bug to
  // find, in the app or in the test; it must not pass on a second try.
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    trace: 'off',
  },
})
