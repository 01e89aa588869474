import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'test-results/', 'playwright-report/', 'dev-dist/', 'bench/results/', '.scratch/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    // Layer rules from docs/ARCHITECTURE.md: imports only point downward.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['yjs', 'y-*', 'solid-js*', 'ag-grid-*', 'chart.js*', '../crdt/*', '../rooms/*', '../ui/*'] }],
    },
  },
  {
    files: ['src/crdt/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['solid-js*', 'ag-grid-*', '../rooms/*', '../ui/*'] }] },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['yjs', 'y-*'] }] },
  },
  {
    // The boot script is inlined into index.html and runs before the app loads: it and its worker
    // stay tiny, importing only types and pure code.
    files: ['src/boot/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['yjs', 'y-*', 'solid-js*', 'ag-grid-*', 'chart.js*', '../crdt/*', '../ui/*'] }] },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/src/ui/*', '**/src/sync/*', 'solid-js*'] }] },
  },
)
