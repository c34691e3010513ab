import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import { layerBlocks } from './eslint.layers.mjs'

const nodeBuiltins = [
  'fs', 'path', 'os', 'child_process', 'net', 'http', 'https', 'crypto', 'stream', 'url', 'util',
  'events', 'worker_threads', 'readline', 'zlib', 'tls', 'dns', 'process', 'buffer'
]

const noElectronInRenderer = { name: 'electron', message: 'The renderer has no Electron access; use the contract.' }
const rendererPatterns = [
  { group: [...new Set(nodeBuiltins.flatMap((m) => [m, `node:${m}`]).concat('node:*'))], message: 'No Node in the renderer.' },
  { group: ['**/electron/**', '**/preload/index*'], message: 'The renderer reaches the main side only through preload/contract.' }
]

// Layer rules: the core (and everything else that runs in plain Node) never imports `electron`;
// the renderer never imports Node, `electron` or anything under electron/ (it talks to the
// main side only through the contract); the contract is pure data types and zod schemas.
// Which folder may import which is in eslint.layers.mjs (docs/architecture.md draws it).
export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'bench-results/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off'
    }
  },
  {
    files: ['electron/**/*.mjs', 'electron/**/*.cjs', '*.mjs', '.ci/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } }
  },
  {
    files: ['electron/core/**', 'electron/common/**', 'electron/demo/**', 'electron/sim/**', 'electron/cli/**', 'electron/web/**', 'test/**'],
    ignores: ['test/e2e/electron.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The core and the plain-Node adapters never import electron.' }],
        patterns: [{ group: ['**/electron/main/**', '**/main/index'], message: 'Only the Electron shell lives in electron/main.' }]
      }]
    }
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: [noElectronInRenderer], patterns: rendererPatterns }]
    }
  },
  {
    // Components call the stores' and feature hooks' named calls (made with `call` in @renderer/api), never the API itself.
    files: ['renderer/**/*.tsx'],
    ignores: ['**/*.test.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [noElectronInRenderer, { name: '@renderer/api', importNames: ['getApi', 'getTransport'], message: 'Renderer I/O lives in the stores (renderer/src/stores, a feature\'s store or hook, renderer/src/ops/calls.ts): call a named call from there.' }],
        patterns: rendererPatterns
      }]
    }
  },
  {
    files: ['preload/contract/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The contract is pure: zod and itself only.' }],
        patterns: [{ group: ['../*', 'node:*', ...nodeBuiltins, 'react', 'react-*', 'ssh2'], message: 'The contract is pure: zod and itself only.' }]
      }]
    }
  },
  {
    // Small modules with one job: no product source file over 600 lines (tests are exempt).
    files: ['electron/**', 'preload/**', 'renderer/**'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: { 'max-lines': ['error', { max: 600 }] }
  },
  ...layerBlocks
)
