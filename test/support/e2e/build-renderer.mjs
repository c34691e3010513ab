/* global console */
// Builds only the renderer (out/renderer) with the same settings as electron.vite.config.ts's
// renderer section, for the fixture-host specs: `electron-vite build` also builds main and the
// simulator, which may be mid-change in a shared tree. `node test/support/e2e/build-renderer.mjs`
import { resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import react from '@vitejs/plugin-react'
import { viteAliases } from '../../../aliases.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
await build({
  root: resolve(root, 'renderer'),
  base: './',
  plugins: [react()],
  resolve: { alias: viteAliases },
  logLevel: 'warn',
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } }
  }
})
console.log('renderer built into out/renderer')
