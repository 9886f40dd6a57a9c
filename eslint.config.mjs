// Lint config. Process boundaries are enforced here, not by memory:
// shared is pure code, renderer never touches Node, engine-side code never imports Electron.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import prettier from 'eslint-config-prettier'
import globals from 'globals'

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'worker_threads',
  'zlib',
  'http',
  'net',
  'crypto',
]

const noElectron = {
  group: ['electron', 'electron/*'],
  message:
    'Only src/main and src/preload may import electron (tests and the CLI load this code in plain Node).',
}
const noNode = {
  group: nodeBuiltins,
  message:
    'This code runs in a sandboxed renderer or is shared by all processes: no Node built-ins.',
}
const noEngineInRenderer = {
  group: ['**/engine/**', '**/service/**', '**/aggregator/**', '**/cli/**', '**/main/**'],
  message:
    'The renderer talks to the engine only through the contract (window.loglens or the browser bridge).',
}

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'reports/**',
      'test-results/**',
      'playwright-report/**',
      '.cache/**',
      '.electron-native/**',
      // AssemblyScript (u64 literals, load<T>…): checked by its own compiler (scripts/build-wasm.mjs).
      'wasm/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noElectron,
            noNode,
            { group: ['react', 'react-dom'], message: 'shared is pure code' },
          ],
        },
      ],
    },
  },
  {
    files: [
      'src/engine/**/*.ts',
      'src/aggregator/**/*.ts',
      'src/service/**/*.ts',
      'src/cli/**/*.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [noElectron] }] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [noElectron, noNode, noEngineInRenderer] }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node }, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
)
