// The sectors contract (issue #5) for the renderer: types and the pure values it shares with main.
export * from '../../../../../preload/contract/triage'
