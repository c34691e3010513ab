import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * What goes into the package, as far as a machine without the Electron binary allows:
 * electron-builder packs the real config against a stand-in Electron distribution (a file
 * carrying Electron's fuse wire), so the asar contents, the fuse flips and the targets are the
 * ones operators get from `npm run dist`. Needs `npm run build` first (npm test does it).
 */
const ROOT = resolve(__dirname, '../..')
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name)

describe('electron-builder package (linux dir target, stand-in Electron)', () => {
  let work: string
  let unpacked: string
  let files: string[]

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'out/main/index.js')) || !existsSync(join(ROOT, 'out/node/sim.cjs'))) {
      throw new Error('build the app first: npm run build')
    }
    work = mkdtempSync(join(tmpdir(), 'md-pack-'))
    const dist = join(work, 'electron-dist')
    execFileSync('mkdir', ['-p', dist])
    // Electron's fuse wire V1 with 8 fuses at their shipped defaults, as in the real binary.
    writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n#'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10011001')]))
    chmodSync(join(dist, 'electron'), 0o755)
    for (const f of ['LICENSE', 'LICENSES.chromium.html']) writeFileSync(join(dist, f), '')
    writeFileSync(join(dist, 'version'), 'v45.5.0')
    execFileSync(
      bin('electron-builder'),
      ['--linux', 'dir', '--config', 'electron-builder.yml', `-c.electronDist=${dist}`, '-c.electronVersion=45.5.0', `-c.directories.output=${join(work, 'out')}`],
      { cwd: ROOT, stdio: 'pipe', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } }
    )
    unpacked = join(work, 'out', 'linux-unpacked')
    files = execFileSync(bin('asar'), ['list', join(unpacked, 'resources', 'app.asar')], { encoding: 'utf8' }).trim().split('\n')
  }, 180_000)

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true })
  })

  it('holds the built app, the self-contained simulator and the locales', () => {
    for (const f of ['/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html', '/out/node/sim.cjs', '/resources/locales/zh-CN.json', '/resources/locales/en.json', '/package.json']) {
      expect(files).toContain(f)
    }
    expect(files.some((f) => f.startsWith('/out/renderer/assets/') && f.endsWith('.js'))).toBe(true)
  })

  it('holds only the runtime dependencies of the main process', () => {
    const modules = files.filter((f) => /^\/node_modules\/(@[^/]+\/)?[^/@]+$/.test(f)).map((f) => f.slice('/node_modules/'.length))
    for (const m of ['ssh2', 'ssh-config', 'zod', 'ws', 'commander']) expect(modules).toContain(m)
    for (const m of ['react', 'antd', 'electron', 'vite', 'vitest', 'typescript', 'esbuild', '@playwright/test']) expect(modules).not.toContain(m)
  })

  it('leaves sources, tests and source maps out', () => {
    expect(files.filter((f) => f.startsWith('/electron/') || f.startsWith('/renderer/') || f.startsWith('/test/') || f.startsWith('/preload/'))).toEqual([])
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([])
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.startsWith('/node_modules/'))).toEqual([])
  })

  it('points main at the built shell', () => {
    // `asar extract-file` writes the file into the working directory.
    execFileSync(bin('asar'), ['extract-file', join(unpacked, 'resources', 'app.asar'), 'package.json'], { cwd: work })
    const pkg = JSON.parse(readFileSync(join(work, 'package.json'), 'utf8')) as { main: string }
    expect(pkg.main).toBe('out/main/index.js')
  })

  it('flips the fuses as electron-builder.yml locks them', () => {
    const binPath = join(unpacked, 'minerdesk')
    const buf = readFileSync(binPath)
    const at = buf.indexOf(SENTINEL) + SENTINEL.length
    const wire = buf.subarray(at + 2, at + 2 + buf[at + 1]!).toString('latin1')
    // runAsNode, cookieEncryption, nodeOptions, nodeCliInspect, asarIntegrity, onlyLoadAppFromAsar,
    // browserV8Snapshot, grantFileProtocolExtraPrivileges
    expect(wire).toBe('11001100')
  })

  it('configures deb and AppImage, nsis and dmg', () => {
    const yml = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')
    expect(yml).toMatch(/linux:\n {2}target:\n {4}- deb\n {4}- AppImage/)
    expect(yml).toMatch(/win:\n {2}target:\n {4}- nsis/)
    expect(yml).toMatch(/mac:\n {2}target:\n {4}- dmg/)
    for (const icon of ['resources/build/icon.ico', 'resources/build/icon.icns', 'resources/build/icons/256x256.png']) expect(existsSync(join(ROOT, icon))).toBe(true)
  })
})
