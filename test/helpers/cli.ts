/** Runs CLI commands in-process with captured output. */
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';

export interface CliRun { code: number; stdout: string; stderr: string }

export async function runCli(argv: string[], opts: { cwd?: string; tty?: boolean; interrupted?: Promise<void> } = {}): Promise<CliRun> {
  let stdout = '', stderr = '';
  const io: CliIO = {
    cwd: opts.cwd ?? process.cwd(),
    stdout: { write: (t: string) => { stdout += t; return true; }, isTTY: opts.tty },
    stderr: { write: (t: string) => { stderr += t; return true; }, isTTY: opts.tty },
    env: { NO_COLOR: opts.tty ? undefined : '1' },
    interrupted: opts.interrupted ?? new Promise(() => {}),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
