/** Exit codes scripts can rely on (the README's table). */
export const EXIT = { ok: 0, jobFailed: 1, usage: 2, auth: 3, unreachable: 4, interrupted: 130 } as const;

const CODE_OF_EXIT: Record<number, string> = {
  [EXIT.jobFailed]: 'FAILED',
  [EXIT.usage]: 'USAGE',
  [EXIT.auth]: 'UNAUTHORIZED',
  [EXIT.unreachable]: 'UNREACHABLE',
  [EXIT.interrupted]: 'INTERRUPTED',
};

/**
 * A failure the CLI reports and exits with. `code` is the gateway's error code when the gateway gave one
 * (`NOT_FOUND`, `VALIDATION_FAILED`…), else one named after the exit code; `details` joins the JSON document.
 */
export class CliError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;
  constructor(
    message: string,
    readonly exitCode: number,
    options: { code?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.code = options.code ?? CODE_OF_EXIT[exitCode] ?? 'FAILED';
    this.details = options.details;
  }
}

export const usageError = (message: string) => new CliError(message, EXIT.usage);

/** The one JSON document printed for an error with `--json`: the gateway's `{ code, message }` shape. */
export function errorDocument(error: CliError): Record<string, unknown> {
  return { code: error.code, message: error.message, exitCode: error.exitCode, ...error.details };
}
