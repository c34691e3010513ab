/** A problem the operator can fix (bad argument, unusable directory): printed without a stack trace. */
export class SimUsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SimUsageError'
  }
}
