/**
 * Runs fixed code for real: the files a fix produced are copied into test/.tmp (so the repo's
 * node_modules — pino, prom-client, @opentelemetry/api, express — resolve), an entry script is
 * added, and it runs under tsx. Returns stdout and the lines that parse as JSON (pino's output).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const TMP = path.join(ROOT, 'test/.tmp');

export interface RunResult { stdout: string; stderr: string; status: number | null; json: Array<Record<string, unknown>> }

export function runFixedCode(files: Record<string, string>, entry: { name: string; code: string }): RunResult {
  fs.mkdirSync(TMP, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMP, 'run-'));
  try {
    for (const [name, text] of Object.entries({ ...files, [entry.name]: entry.code })) {
      if (name.endsWith('package.json')) continue; // the repo's own dependencies serve the run
      const abs = path.join(dir, name.replace(/^\//, ''));
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.writeFileSync(abs, text);
    }
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, entry.name.replace(/^\//, ''))], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.error, undefined, String(r.error));
    const json: Array<Record<string, unknown>> = [];
    for (const line of r.stdout.split('\n')) {
      if (!line.startsWith('{')) continue;
      try { json.push(JSON.parse(line)); } catch { /* not JSON */ }
    }
    return { stdout: r.stdout, stderr: r.stderr, status: r.status, json };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
