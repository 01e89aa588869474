import { defineConfig } from '@playwright/test'

// Browsers cannot be downloaded here: Playwright drives the system Chromium.
export const chromiumPath = process.env.KANSO_CHROMIUM ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 2,
  fullyParallel: false,
  // One retry, reported as "flaky" in the list: fieldsAndMembers' "hidden columns stay hidden after a
  // reload" fails about one run in four (a column hidden right after a schema change comes back after
  // the reload — the layout save seems to be skipped while the grid re-applies its columns); a known
  // app bug to fix, not a reason to lose a whole run.
  retries: 1,
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
