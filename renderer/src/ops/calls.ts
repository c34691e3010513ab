import { call } from '@renderer/api'

/** The preview → confirm → run-once calls every change of the window goes through. */
export const executeOp = call('ops', 'execute')
export const cancelOp = call('ops', 'cancel')
export const onOpsProgress = call('events', 'onOpsProgress')
