// Replaced by the simulator front (`up`, `down`).
export async function simFrontCli(_argv: string[]): Promise<number> {
  process.stderr.write('the simulator front is being built\n')
  return 2
}
