/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, jobFailed: 1, usage: 2, auth: 3, unreachable: 4 } as const;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);
