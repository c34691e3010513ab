/** Sectors: list, sector page, diagnosis, files, and sector actions (issue #5): channels and events, merged into channels.ts. */
export const triageChannels = {} as const
export const triageEvents = {} as const
