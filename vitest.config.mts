import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests fork real aggregator processes and write real SQLite files: keep the
    // two cores for them rather than oversubscribing.
    maxWorkers: 2,
  },
})
