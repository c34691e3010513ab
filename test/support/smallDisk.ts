import { execFileSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A small disk that tests can fill up: a tmpfs of a few hundred KiB mounted on a fresh directory
 * (needs root, as in CI). fill() takes every free block with a filler file, so the next write
 * that needs a new block fails with ENOSPC exactly as on a full disk; free() gives them back.
 * Returns null where mounting is not possible (not root): tests then inject ENOSPC instead.
 */
export interface SmallDisk {
  dir: string
  /** Allocation unit: a write within a file's last block needs no new block. */
  blockSize: number
  fill(): void
  free(): void
  close(): void
}

export function mountSmallDisk(sizeKiB = 512): SmallDisk | null {
  if (process.getuid?.() !== 0) return null
  const dir = mkdtempSync(join(tmpdir(), 'md-small-disk-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' })
  } catch {
    rmSync(dir, { recursive: true, force: true })
    return null
  }
  const filler = join(dir, '.filler')
  return {
    dir,
    blockSize: statSync(dir).blksize || 4096,
    fill() {
      const fd = openSync(filler, 'a')
      const chunk = Buffer.alloc(4096, 0x2e)
      try {
        for (;;) writeSync(fd, chunk)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
      } finally {
        closeSync(fd)
      }
    },
    free() {
      try {
        unlinkSync(filler)
      } catch {
        /* not filled */
      }
    },
    close() {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' })
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}
