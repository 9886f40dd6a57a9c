import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'

// One build for every front: out/main holds the Electron main process, the aggregator process
// entry, its parse, gzip-inflating and range-writing workers and the `loglens` CLI (all plain Node except main/index); out/preload
// the sandboxed preload; out/renderer the React app (also served by `loglens serve`).
export default defineConfig({
  main: {
    build: {
      // zod is bundled (tree-shaken): required whole, it loads every locale, ~95 ms of the CLI's
      // start and the app's main process.
      externalizeDeps: { exclude: ['zod'] },
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          aggregator: resolve(__dirname, 'src/aggregator/index.ts'),
          'parse-worker': resolve(__dirname, 'src/aggregator/parse-worker.ts'),
          'inflate-worker': resolve(__dirname, 'src/aggregator/inflate-worker.ts'),
          'range-writer': resolve(__dirname, 'src/aggregator/range-writer.ts'),
          'export-worker': resolve(__dirname, 'src/service/export-worker.ts'),
          cli: resolve(__dirname, 'src/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    build: {
      // Smaller bundle, less to parse before the first paint and before the first chart.
      minify: true,
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
      },
    },
    plugins: [react()],
  },
})
