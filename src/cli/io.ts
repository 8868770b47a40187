/**
 * What a CLI command may touch: its arguments, the three streams and the working directory.
 * Commands never call process.exit; they return an exit code (0 ok, 1 findings/gate failed,
 * 2 usage/config/internal error), so tests can run them in-process.
 */
export interface CliIO {
  readonly cwd: string;
  readonly stdout: { write(text: string): unknown; isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); long-running commands (runtime) await it. */
  readonly interrupted: Promise<void>;
}

export type CliCommand = (argv: string[], io: CliIO) => Promise<number>;

/** Thrown for bad usage or config; main prints `telltale: <message>` and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;
