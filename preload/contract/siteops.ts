/** Jobs, workers and their processes, proving checks, chain and messages (issue #5): channels and events, merged into channels.ts. */
export const siteopsChannels = {} as const
export const siteopsEvents = {} as const
