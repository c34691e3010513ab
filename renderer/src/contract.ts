// The renderer's only door to the main side's types: the shared contract (pure types, zod schemas
// and small pure helpers). Re-exported here so every renderer module imports from one place.
export * from '../../preload/contract'
