import { spawn } from 'node:child_process'

/**
 * Opens a URL in the operator's default browser the way each desktop does it: `xdg-open` on
 * Linux and the BSDs, `open` on macOS, `start` (a cmd built-in) on Windows. Resolves once the
 * opener has started or failed; it never throws.
 */

export interface Opener {
  command: string
  args: string[]
  /** cmd parses its own command line: the URL is passed as written (with `&` escaped). */
  verbatim: boolean
}

export function openerFor(platform: NodeJS.Platform, url: string): Opener {
  if (platform === 'darwin') return { command: 'open', args: [url], verbatim: false }
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', `"${url.replace(/[&^]/g, '^$&')}"`], verbatim: true }
  return { command: 'xdg-open', args: [url], verbatim: false }
}

export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): Promise<{ ok: true } | { ok: false; error: string }> {
  const o = openerFor(platform, url)
  return new Promise((resolve) => {
    let child
    try {
      child = spawn(o.command, o.args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: o.verbatim })
    } catch (err) {
      resolve({ ok: false, error: err instanceof Error ? err.message : String(err) })
      return
    }
    const c = child
    c.once('error', (err: NodeJS.ErrnoException) => resolve({ ok: false, error: err.code === 'ENOENT' ? `${o.command} is not installed` : err.message }))
    // An opener that finds no browser (no desktop session) says so by exiting at once with an
    // error; one still running after a moment, or done with 0, has handed the URL on.
    c.once('spawn', () => {
      const timer = setTimeout(() => {
        c.unref()
        resolve({ ok: true })
      }, 1500)
      c.once('exit', (code) => {
        clearTimeout(timer)
        resolve(code === 0 ? { ok: true } : { ok: false, error: `${o.command} exited with ${code}` })
      })
    })
  })
}
