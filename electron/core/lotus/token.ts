import { inspect } from 'node:util'

/**
 * A Lotus API token (JWT). Held in a private field so that logging, `JSON.stringify`, string
 * interpolation and util.inspect of any object carrying it show `[redacted]`; only `reveal()`
 * (used when writing the Authorization header) gives the value.
 */
export class ApiToken {
  readonly #value: string

  constructor(value: string) {
    if (value === '') throw new Error('empty API token')
    this.#value = value
  }

  reveal(): string {
    return this.#value
  }

  equals(other: ApiToken | null | undefined): boolean {
    return other instanceof ApiToken && other.#value === this.#value
  }

  toJSON(): string {
    return '[redacted]'
  }

  toString(): string {
    return '[redacted]'
  }

  [inspect.custom](): string {
    return 'ApiToken([redacted])'
  }
}

export function sameToken(a: ApiToken | null, b: ApiToken | null): boolean {
  if (a === null || b === null) return a === b
  return a.equals(b)
}
