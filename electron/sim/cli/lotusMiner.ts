// Replaced by the simulator's CLI implementation.
export async function lotusMinerCli(_argv: string[]): Promise<number> {
  process.stderr.write('this simulated command is being built\n')
  return 2
}
