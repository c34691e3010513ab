import { goLogger, type GoLogger } from '../../common/golog'

/** The CLI's own go-log warnings (e.g. `getting agent version: …`) go to stderr, as Lotus's do. */
export function cliLogger(): GoLogger {
  return goLogger('cli', (line) => process.stderr.write(`${line}\n`))
}

/** Go's `json.Marshal` escaping of <, > and & inside strings. */
export function goJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
}
