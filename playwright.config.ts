import { defineConfig } from '@playwright/test'

// Browser e2e runs Debian's Chromium (never a downloaded browser) against `loglens serve`.
// Electron specs (e2e/electron/*) run where the Electron runtime exists and skip otherwise.
export const CHROMIUM_PATH = process.env.LOGLENS_CHROMIUM ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
})
