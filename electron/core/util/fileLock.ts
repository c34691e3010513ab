import { lstat, readFile, readlink, symlink, unlink, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'

/**
 * A lock between MinerDesk processes sharing MINERDESK_HOME (the app and the CLI): a symbolic
 * link whose target names the holder (`host:pid`). Creating a symlink is atomic and needs no data
 * block, so the lock still works on a full disk; a holder that died (same host, pid gone) or
 * that has held it far longer than any holder does is taken over.
 */

const STALE_MS = 30_000

function holderAlive(target: string): boolean {
  const m = /^(.*):(\d+)$/.exec(target)
  if (!m) return false
  if (m[1] !== hostname()) return true
  const pid = Number(m[2])
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Whether the lock at `path` may be taken over. */
async function stale(path: string): Promise<boolean> {
  try {
    const st = await lstat(path)
    const target = st.isSymbolicLink() ? await readlink(path) : st.isFile() && st.size < 300 ? await readFile(path, 'utf8') : ''
    return !holderAlive(target) || Date.now() - st.mtimeMs > STALE_MS
  } catch {
    // Gone in between: try again.
    return false
  }
}

/** Runs `fn` holding the lock at `path`; waits up to `timeoutMs` for another holder. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const me = `${hostname()}:${process.pid}`
  const t0 = Date.now()
  let wait = 2
  // Within one process, callers queue here instead of polling the file system.
  const prev = queues.get(path) ?? Promise.resolve()
  let release!: () => void
  const mine = new Promise<void>((r) => (release = r))
  const tail = prev.then(() => mine)
  queues.set(path, tail)
  await prev
  try {
    for (;;) {
      try {
        await create(path, me)
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
      if (await stale(path)) {
        await unlink(path).catch(() => undefined)
        continue
      }
      if (Date.now() - t0 > timeoutMs) throw new Error(`${path} is held by another MinerDesk process for more than ${Math.round(timeoutMs / 1000)} s`)
      await new Promise((r) => setTimeout(r, wait))
      wait = Math.min(50, wait * 2)
    }
    try {
      return await fn()
    } finally {
      await unlink(path).catch(() => undefined)
    }
  } finally {
    release()
    if (queues.get(path) === tail) queues.delete(path)
  }
}

const queues = new Map<string, Promise<void>>()

/** A symlink where the platform allows one (Windows may not): else an exclusive small file. */
async function create(path: string, me: string): Promise<void> {
  try {
    await symlink(me, path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EPERM' && code !== 'ENOSYS' && code !== 'ENOTSUP') throw err
    await writeFile(path, me, { flag: 'wx', mode: 0o600 })
  }
}
