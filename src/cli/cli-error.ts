/** An error the command line reports in one line, with the exit code it ends with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** The API's `extensions.code`, when the error came from the API. */
    readonly code?: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Exit codes: 0 succeeded with nothing rejected, 2 succeeded with rejects, 1 anything else. */
export const EXIT = { OK: 0, FAILED: 1, REJECTS: 2, INTERRUPTED: 130 } as const;
