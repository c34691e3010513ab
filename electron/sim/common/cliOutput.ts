/**
 * How the Lotus CLIs (urfave/cli) end: errors go to stderr as `ERROR: <message>` followed by an
 * empty line (cli/helper.go RunApp prints "ERROR: %s\n\n") with exit code 1; usage errors print
 * the command's help first.
 */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string
  ) {
    super(message)
  }
}

export function cliError(message: string): CliExit {
  return new CliExit(1, message)
}

export function out(line = ''): void {
  process.stdout.write(`${line}\n`)
}

/** Runs a CLI body and converts failures to Lotus's `ERROR: …` + exit status. */
export async function runCli(body: () => Promise<number | void>): Promise<number> {
  try {
    const code = await body()
    return code ?? 0
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err)
    process.stderr.write(`ERROR: ${msg}\n\n`)
    return err instanceof CliExit ? err.code : 1
  }
}
