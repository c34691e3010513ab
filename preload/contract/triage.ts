/** Sector triage, jobs, workers, proving and messages (issue #5): its channels and events, merged into channels.ts. */
export const triageChannels = {} as const
export const triageEvents = {} as const
