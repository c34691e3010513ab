import { BrowserWindow, session, shell, type WebContents } from 'electron'
import { join } from 'node:path'
import { APP_ORIGIN, RENDERER_CSP as CSP } from './protocol'

/** electron-vite's dev server, when running `npm run dev`. */
function devServerUrl(): string | null {
  const dev = process.env.ELECTRON_RENDERER_URL
  return dev && /^http:\/\/(localhost|127\.0\.0\.1):\d+\/?$/.test(dev) ? dev.replace(/\/$/, '') : null
}

/** Where the renderer comes from: our app:// origin, or the dev server. */
export function rendererUrl(): string {
  return devServerUrl() ? `${devServerUrl()}/` : `${APP_ORIGIN}/index.html`
}

/** True when a frame URL belongs to our own renderer (used to validate IPC senders and navigation). */
export function isAppUrl(url: string): boolean {
  const dev = devServerUrl()
  if (dev) return url === dev || url.startsWith(`${dev}/`)
  return url.startsWith(`${APP_ORIGIN}/`)
}

/** Session-wide hardening: no permission is ever granted, CSP on every response, no remote content. */
export function hardenSession(): void {
  const ses = session.defaultSession
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } })
  })
  // The app never loads anything from the network: block every request that is not our own files
  // or the local dev server.
  ses.webRequest.onBeforeRequest((details, callback) => {
    const u = details.url
    const local = isAppUrl(u) || u.startsWith('devtools://') || u.startsWith('data:') || (devServerUrl() !== null && u.startsWith('ws://'))
    callback({ cancel: !local })
  })
}

function denyNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault()
  })
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the operator's browser, never in the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'MinerDesk',
    backgroundColor: '#f5f6f8',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false
    }
  })
  denyNavigation(win.webContents)
  win.once('ready-to-show', () => win.show())
  void win.loadURL(rendererUrl())
  return win
}
