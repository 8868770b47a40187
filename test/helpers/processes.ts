/** Child processes for real-thing tests: start, wait for a line, always clean up. */
import { spawn, type ChildProcess } from 'node:child_process';

export interface Started { child: ChildProcess; match: RegExpMatchArray; output: () => string; stop: () => Promise<void> }

/** Spawns a process and resolves when a line of its stdout/stderr matches `ready` (rejects on exit or timeout). */
export function startProcess(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; ready: RegExp; timeoutMs?: number }): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    const stop = () => new Promise<void>((res) => {
      if (child.exitCode !== null || child.signalCode !== null) return res();
      child.once('exit', () => res());
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
      setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 3000).unref();
    });
    const timer = setTimeout(() => { void stop(); reject(new Error(`timed out waiting for ${opts.ready} from ${cmd} ${args.join(' ')}:\n${out}`)); }, opts.timeoutMs ?? 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = out.match(opts.ready);
      if (m) { clearTimeout(timer); resolve({ child, match: m, output: () => out, stop }); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${cmd} exited with ${code} before it was ready:\n${out}`)); });
  });
}
