import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type * as NodeFs from 'node:fs'

// The disk as the kernel may present it: writes cut short (`cap` bytes at most each) and a budget
// of bytes after which a write fails with ENOSPC. Both apply to every writeSync of the module.
const disk = vi.hoisted(() => ({ cap: Infinity, budget: Infinity }))
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof NodeFs>()
  const writeSync = (fd: number, buf: NodeJS.ArrayBufferView, offset?: number, length?: number): number => {
    if (disk.budget <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    const want = Math.min(length ?? buf.byteLength - (offset ?? 0), disk.cap, disk.budget)
    const n = fs.writeSync(fd, buf, offset ?? 0, want)
    disk.budget -= n
    return n
  }
  return { ...fs, default: { ...fs, writeSync }, writeSync }
})

const { DurableWriteError, NotRegularFileError, readRegularFile, writeDurably } = await import('./durableFile')

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'md-durable-'))
  disk.cap = Infinity
  disk.budget = Infinity
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const content = JSON.stringify({ id: 'run-1', steps: Array.from({ length: 200 }, (_, i) => ({ id: `step-${i}`, state: 'done' })) })

describe('writeDurably', () => {
  it('writes the whole content when the disk accepts a few bytes per write, owner-only, no temp file left', () => {
    disk.cap = 7
    const file = join(dir, 'run.json')
    writeDurably(file, content)
    expect(readFileSync(file, 'utf8')).toBe(content)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['run.json'])
  })

  it('on a disk that fills mid-write keeps the previous file whole and says the disk is full', () => {
    const file = join(dir, 'run.json')
    writeFileSync(file, 'the good state')
    disk.budget = 100
    let err: unknown
    try {
      writeDurably(file, content)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DurableWriteError)
    expect((err as InstanceType<typeof DurableWriteError>).code).toBe('ENOSPC')
    expect((err as Error).message).toContain(`could not write ${file}: no space left on the device (100 of ${content.length} bytes written)`)
    expect(readFileSync(file, 'utf8')).toBe('the good state')
    expect(readdirSync(dir)).toEqual(['run.json'])
  })

  it('writes nothing when the disk is full before the first byte', () => {
    const file = join(dir, 'run.json')
    disk.budget = 0
    expect(() => writeDurably(file, content)).toThrow(/no space left on the device \(0 of/)
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('readRegularFile', () => {
  it('reads a regular file and answers null for a missing one', () => {
    writeFileSync(join(dir, 'a.json'), '{"x":1}')
    expect(readRegularFile(join(dir, 'a.json'))).toBe('{"x":1}')
    expect(readRegularFile(join(dir, 'missing.json'))).toBeNull()
  })

  it('refuses a FIFO at once (no writer ever opens it) and a directory', () => {
    const fifo = join(dir, 'run.json')
    execFileSync('mkfifo', [fifo])
    const t0 = Date.now()
    expect(() => readRegularFile(fifo)).toThrow(NotRegularFileError)
    expect(() => readRegularFile(fifo)).toThrow(`${fifo} is a FIFO, not a regular file`)
    expect(Date.now() - t0).toBeLessThan(5000)
    mkdirSync(join(dir, 'd'))
    expect(() => readRegularFile(join(dir, 'd'))).toThrow(/is a directory, not a regular file/)
  })
})
