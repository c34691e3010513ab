import { existsSync } from 'node:fs'

/** Flags that keep Debian's Chromium quiet on a closed network (no background fetches at start). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/** The system Chromium: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']
  for (const c of candidates) if (c && existsSync(c)) return c
  throw new Error('Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH')
}

export function chromiumLaunchOptions(): { executablePath: string; args: string[]; headless: boolean } {
  return { executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true }
}
