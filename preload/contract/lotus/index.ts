// Pure Lotus knowledge shared by the core, the simulator and the renderer.
export * from './types'
export * from './states'
export * from './tasks'
export * from './fsm'
export * from './methods'
