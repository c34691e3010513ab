import { closeSync, constants, fstatSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/**
 * Files MinerDesk keeps in MINERDESK_HOME, written and read so that a crash, a full disk or a
 * stranger file never costs the operator their state:
 * - writeDurably: the whole content to a temp file (every byte accounted for), fsync, rename
 *   over the old file, fsync the directory. On any failure the temp file goes and the previous
 *   file stays untouched; the error says which file and why (ENOSPC: the disk is full).
 * - readRegularFile: opens without blocking and reads only a regular file, so a FIFO, a device
 *   or a directory put in its place can never hang or confuse the reader.
 */

export class DurableWriteError extends Error {
  readonly code: string
  constructor(
    readonly file: string,
    cause: NodeJS.ErrnoException | Error,
    /** Bytes written before the failure, of the total (short writes on a full disk). */
    readonly written?: { bytes: number; of: number }
  ) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'EIO'
    super(`could not write ${file}: ${code === 'ENOSPC' ? 'no space left on the device' : cause.message}${written ? ` (${written.bytes} of ${written.of} bytes written)` : ''}`)
    this.name = 'DurableWriteError'
    this.code = code
  }
}

export class NotRegularFileError extends Error {
  readonly code = 'ENOTREG'
  constructor(readonly file: string, readonly kind: string) {
    super(`${file} is a ${kind}, not a regular file: MinerDesk does not read it`)
    this.name = 'NotRegularFileError'
  }
}

/** A write that made no progress: the device has no room left. */
function enospc(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', errno: -28, syscall: 'write' })
}

/**
 * Writes all of `buf` at the fd's position, looping over short writes; a write
 * that makes no progress is a full disk. Returns when every byte is written, else throws.
 */
export function writeAll(fd: number, buf: Buffer, file: string): void {
  let off = 0
  while (off < buf.length) {
    let n: number
    try {
      n = writeSync(fd, buf, off, buf.length - off)
    } catch (err) {
      throw new DurableWriteError(file, err as NodeJS.ErrnoException, { bytes: off, of: buf.length })
    }
    if (n <= 0) throw new DurableWriteError(file, enospc(file), { bytes: off, of: buf.length })
    off += n
  }
}

let seq = 0

/** Replaces `file` with `content` completely or not at all (see the module comment). */
export function writeDurably(file: string, content: string | Buffer, mode = 0o600): void {
  const buf = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${++seq}.tmp`)
  let fd: number
  try {
    fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode)
  } catch (err) {
    throw new DurableWriteError(file, err as NodeJS.ErrnoException)
  }
  try {
    writeAll(fd, buf, file)
    const size = fstatSync(fd).size
    if (size !== buf.length) throw new DurableWriteError(file, new Error(`the file holds ${size} bytes after writing ${buf.length}`))
    fsyncSync(fd)
  } catch (err) {
    closeQuietly(fd)
    unlinkQuietly(tmp)
    throw err instanceof DurableWriteError ? err : new DurableWriteError(file, err as NodeJS.ErrnoException)
  }
  try {
    closeSync(fd)
    renameSync(tmp, file)
  } catch (err) {
    unlinkQuietly(tmp)
    throw new DurableWriteError(file, err as NodeJS.ErrnoException)
  }
  fsyncDir(dirname(file))
}

/** Makes a rename or a new file in `dir` durable (not every platform can fsync a directory). */
export function fsyncDir(dir: string): void {
  let dfd: number | null = null
  try {
    dfd = openSync(dir, 'r')
    fsyncSync(dfd)
  } catch {
    /* Windows and some file systems refuse: the rename itself is still atomic */
  } finally {
    if (dfd !== null) closeQuietly(dfd)
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    /* already closed */
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file)
  } catch {
    /* gone already */
  }
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'FIFO'
  if (st.isDirectory()) return 'directory'
  if (st.isSocket()) return 'socket'
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'device'
  return 'special file'
}

/** Longest file MinerDesk reads whole (settings, run files): bigger is not one of ours. */
export const MAX_STATE_FILE_BYTES = 64 * 1024 * 1024

/**
 * The content of a regular file (utf8), or null when it does not exist. A FIFO, device, socket
 * or directory throws NotRegularFileError at once (opening never blocks: O_NONBLOCK).
 */
export function readRegularFile(file: string, maxBytes = MAX_STATE_FILE_BYTES): string | null {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new NotRegularFileError(file, kindOf(st))
    if (st.size > maxBytes) throw new Error(`${file} is ${st.size} bytes, more than MinerDesk ever writes there`)
    const buf = Buffer.alloc(st.size)
    let off = 0
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off)
      if (n <= 0) break
      off += n
    }
    return buf.subarray(0, off).toString('utf8')
  } finally {
    closeQuietly(fd)
  }
}
