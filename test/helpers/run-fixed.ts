/**
 * Runs fixed code for real: the files a fix produced are copied into test/.tmp (so the repo's
 * node_modules — pino, prom-client, @opentelemetry/api, express — resolve), an entry script is
 * added, and it runs under tsx. Returns stdout and the lines that parse as JSON (pino's output).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../../src/analysis/analyze';
import { runRules } from '../../src/analysis/findings';
import { computeFix } from '../../src/fixes/engine';
import { FIXES } from '../../src/fixes';
import { parseAnnotated, removeProject, writeProject } from './annotated';

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

/**
 * Like checkFixNotApplicable, but the finding at `$0` must exist (so the case cannot pass by
 * accident) and the fix's reason is returned for the test to check.
 */
export function notApplicableReason(fixId: string, before: string, defaultFile = '/src/index.ts'): string {
  const fix = FIXES.find((f) => f.id === fixId);
  assert.ok(fix, `no fix ${fixId}`);
  const { files } = parseAnnotated(before, defaultFile);
  const entry = Object.entries(files).find(([, t]) => t.includes('$0'));
  assert.ok(entry, 'no $0 cursor in the fixture');
  const [name, text] = entry;
  const i = text.indexOf('$0');
  const line = text.slice(0, i).split('\n').length;
  const column = i - text.lastIndexOf('\n', i - 1);
  const dir = writeProject({ ...files, [name]: text.replace('$0', '') });
  try {
    const analyzer = Analyzer.load(dir);
    const file = name.replace(/^\//, '');
    const finding = runRules(analyzer).findings.find((f) => fix.for.includes(f.rule) && f.file === file &&
      (f.line < line || (f.line === line && f.column <= column)) && (f.endLine > line || (f.endLine === line && f.endColumn >= column)));
    assert.ok(finding, `no ${fix.for.join('/')} finding at $0 (${file}:${line}:${column})`);
    const outcome = computeFix(analyzer, finding, fix);
    assert.ok(!('edits' in outcome), `${fixId} applied but should not`);
    return outcome.reason;
  } finally {
    removeProject(dir);
  }
}
