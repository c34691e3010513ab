// The contract as the sectors pages see it (through the renderer's one door to it).
export * from '../../../contract'
