/** Restart wizard (issue #4): its channels and events, merged into channels.ts. */
export const wizardChannels = {} as const
export const wizardEvents = {} as const
