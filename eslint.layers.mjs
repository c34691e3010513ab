// The layers of MinerDesk as an ESLint rule: which folders a file may import from. Each relative
// (or aliased) import is resolved to a repository path and checked against the layer's `allow`
// (only these folders) or `deny` (never these folders) lists. Packages are not checked here.
import { dirname, join, normalize, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ALIASES } from './aliases.mjs'

const ROOT = dirname(fileURLToPath(import.meta.url))

function target(file, spec) {
  for (const [alias, path] of Object.entries(ALIASES)) {
    if (spec === alias) return path
    if (spec.startsWith(`${alias}/`)) return path + spec.slice(alias.length)
  }
  if (!spec.startsWith('.')) return null
  return relative(ROOT, normalize(join(dirname(file), spec))).split(sep).join('/')
}

const inside = (path, dir) => path === dir.replace(/\/$/, '') || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`)

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports stay within the layers the architecture allows' },
    schema: [
      {
        type: 'object',
        properties: {
          allow: { type: 'array', items: { type: 'string' } },
          deny: { type: 'array', items: { type: 'string' } },
          message: { type: 'string' }
        },
        additionalProperties: false
      }
    ]
  },
  create(context) {
    const { allow, deny = [], message } = context.options[0] ?? {}
    const file = context.filename
    const check = (source) => {
      if (!source || typeof source.value !== 'string') return
      const path = target(file, source.value)
      if (path === null) return
      const bad = (allow && !allow.some((d) => inside(path, d))) || deny.some((d) => inside(path, d))
      if (bad) context.report({ node: source, message: `${source.value} (${path}): ${message}` })
    }
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source)
    }
  }
}

export const layersPlugin = { rules: { imports: rule } }

const TESTS = ['**/*.test.ts', '**/*.test.tsx']

/** One config block per layer (test files beside the code are not product code: exempt). */
export const layerBlocks = [
  {
    files: ['electron/core/**'],
    rules: {
      'layers/imports': ['error', {
        deny: ['electron/sim', 'electron/demo', 'electron/cli', 'electron/web', 'electron/main', 'renderer', 'test'],
        message: 'the core never imports the simulator, the demo, a host or the tests (the demo is injected: runtime/demo.ts)'
      }]
    }
  },
  {
    files: ['electron/core/**'],
    ignores: ['electron/core/app/**'],
    rules: {
      'layers/imports': ['error', {
        deny: ['electron/core/app', 'electron/sim', 'electron/demo', 'electron/cli', 'electron/web', 'electron/main', 'renderer', 'test'],
        message: 'only the composition root (core/app) assembles the core; features and runtime never import it, nor the simulator, the demo, a host or the tests'
      }]
    }
  },
  {
    files: ['electron/sim/**'],
    rules: {
      'layers/imports': ['error', {
        allow: ['electron/sim', 'preload/contract/lotus', 'electron/common'],
        message: 'the simulator imports only itself, preload/contract/lotus and electron/common'
      }]
    }
  },
  {
    files: ['electron/common/**'],
    rules: { 'layers/imports': ['error', { allow: ['electron/common'], message: 'electron/common is dependency-free' }] }
  },
  {
    files: ['electron/demo/**'],
    rules: { 'layers/imports': ['error', { deny: ['electron/main', 'electron/cli', 'electron/web', 'renderer', 'test'], message: 'the demo is a part the hosts use, not a host' }] }
  },
  {
    files: ['electron/cli/**'],
    rules: { 'layers/imports': ['error', { deny: ['electron/sim', 'electron/demo', 'electron/main', 'electron/web', 'renderer', 'test'], message: 'the CLI is a host over the core (no simulator, no demo, no other host, no tests)' }] }
  },
  {
    files: ['electron/web/**', 'electron/main/**'],
    rules: { 'layers/imports': ['error', { deny: ['electron/sim', 'electron/cli', 'renderer', 'test'], message: 'a host uses the core and the demo, never the simulator directly, another host or the tests' }] }
  },
  {
    files: ['renderer/**'],
    rules: { 'layers/imports': ['error', { allow: ['renderer', 'preload/contract', 'resources/locales'], message: 'the renderer imports only itself, the contract (@contract) and the locales' }] }
  },
  {
    files: ['preload/contract/**'],
    rules: { 'layers/imports': ['error', { allow: ['preload/contract'], message: 'the contract is pure: zod and itself only' }] }
  }
].map((b) => ({ ...b, ignores: [...(b.ignores ?? []), ...TESTS], plugins: { layers: layersPlugin } }))
