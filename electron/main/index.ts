import { app, Menu, type BrowserWindow } from 'electron'
import { join } from 'node:path'
import { createAppCore, type AppCore } from '../core/app/appCore'
import { simDemo } from '../demo/demo'
import { minerdeskHome } from '../core/settings/paths'
import { APP_VERSION } from '../core/version'
import { wireIpc } from './ipc'
import { notifyFindings } from './notifications'
import { registerAppScheme, serveRenderer } from './protocol'
import { createSafeStorageSecrets } from './secrets'
import { createMainWindow, hardenSession } from './window'
import { keepRunningOnUnexpectedErrors } from '../core/util/lastResort'

/**
 * The Electron shell: one hardened window over the core. Everything that touches sites lives in
 * the core (electron/core); this file only creates the window, carries the contract over IPC,
 * shows desktop notifications and keeps a single instance.
 */
registerAppScheme()
// Logged (redacted) instead of Electron's error dialog, which would show a token on screen;
// the app keeps running, with any restart in flight.
keepRunningOnUnexpectedErrors('MinerDesk')

let core: AppCore | null = null
let win: BrowserWindow | null = null

function sshConfigArg(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--ssh-config')
  if (i >= 0) return argv[i + 1]
  return argv.find((a) => a.startsWith('--ssh-config='))?.slice('--ssh-config='.length)
}

function focus(): void {
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

async function start(): Promise<void> {
  hardenSession()
  serveRenderer(join(__dirname, '../renderer'))
  const home = minerdeskHome()
  const sshConfig = sshConfigArg(process.argv)
  core = createAppCore({
    host: 'electron',
    version: APP_VERSION,
    home,
    secrets: createSafeStorageSecrets(home),
    poll: true,
    // The demo runs the simulated Lotus processes with this binary in Node mode.
    demo: simDemo({ node: process.execPath, nodeEnv: { ELECTRON_RUN_AS_NODE: '1' }, bundle: join(__dirname, '../node/sim.cjs') }),
    ...(sshConfig ? { sshConfig: { path: sshConfig, mode: 'persist' as const } } : {})
  })
  const c = core
  wireIpc(() => win, c.handlers, c.events)
  c.events.on('findings:new', (findings) => {
    const settings = c.store.getSettings()
    if (!settings.notifications) return
    notifyFindings(findings, settings.language, (id) => c.store.getSite(id)?.name ?? id, () => focus())
  })
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' }
    ])
  )
  win = createMainWindow()
  win.on('closed', () => {
    win = null
  })
  await c.start()
}

if (!app.requestSingleInstanceLock()) {
  // Another MinerDesk is running: it gets focus (second-instance) and this one leaves.
  app.quit()
} else {
  app.on('second-instance', () => focus())
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (ev) => ev.preventDefault())
  })
  void app.whenReady().then(start)
  app.on('window-all-closed', () => app.quit())
  // Quitting waits for the core to close: the demo's simulated sites stop with the app (they
  // start again at its next start) instead of running on unannounced.
  let closed = false
  app.on('before-quit', (e) => {
    if (closed || !core) return
    e.preventDefault()
    closed = true
    void core.close().finally(() => app.quit())
  })
  app.on('activate', () => {
    if (!win && core) win = createMainWindow()
  })
}
