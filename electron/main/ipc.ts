import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron'
import { IPC_EVENT, IPC_INVOKE, type Result } from '../../preload/contract'
import { dispatch } from '../core/runtime/dispatch'
import type { EventBus } from '../core/runtime/eventBus'
import type { Handlers } from '../core/runtime/handlers'
import { isAppUrl } from './window'

/**
 * Wires the contract to IPC. Every call is checked twice before anything acts: the sender must be
 * our main window's top frame showing our own renderer, and the arguments must pass the
 * contract's schema (in dispatch).
 */
export function wireIpc(getWindow: () => BrowserWindow | null, handlers: Handlers, events: EventBus): () => void {
  const senderOk = (event: IpcMainInvokeEvent): boolean => {
    const win = getWindow()
    const frame = event.senderFrame
    return Boolean(win && event.sender === win.webContents && frame && frame === win.webContents.mainFrame && isAppUrl(frame.url))
  }
  ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, args: unknown): Promise<Result<unknown>> => {
    if (!senderOk(event)) {
      return { ok: false, error: { code: 'invalid-input', message: 'refused: the call did not come from the MinerDesk window' } }
    }
    return dispatch(handlers, channel, args, { via: 'electron' })
  })
  const unsubscribe = events.subscribeAll((name, payload) => {
    const win = getWindow()
    if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT, name, payload)
  })
  return () => {
    ipcMain.removeHandler(IPC_INVOKE)
    unsubscribe()
  }
}
