import { app, BrowserWindow } from 'electron'
import { join } from 'node:path'

// Placeholder-free minimal shell: the full shell (IPC, CSP, services) is wired in electron/main/*.
function createWindow(): void {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    show: true,
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false
    }
  })
  void win.loadFile(join(__dirname, '../renderer/index.html'))
}

void app.whenReady().then(createWindow)
app.on('window-all-closed', () => app.quit())
