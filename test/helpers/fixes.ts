/**
 * Fix tests (STYLE.md §4): `before` is annotated code where `$0` marks the finding to fix (the
 * first finding of the fix's rules whose range contains it), `after` the expected files. Files
 * use `//- /path` headers; files not listed in `after` must be unchanged (new files must be listed).
 * checkFix also re-analyses the result: the finding is gone, no new finding of any rule appears,
 * and the fix no longer applies there (idempotence).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../../src/analysis/analyze';
import { runRules } from '../../src/analysis/findings';
import type { Finding } from '../../src/analysis/model';
import { applyEdits, groupByFile } from '../../src/fixes/edit';
import { computeFix } from '../../src/fixes/engine';
import { FIXES } from '../../src/fixes';
import { parseAnnotated, removeProject, writeProject } from './annotated';

function cursor(files: Record<string, string>): { files: Record<string, string>; file: string; line: number; column: number } {
  for (const [name, text] of Object.entries(files)) {
    const i = text.indexOf('$0');
    if (i < 0) continue;
    const before = text.slice(0, i);
    const line = before.split('\n').length;
    const column = i - before.lastIndexOf('\n');
    return { files: { ...files, [name]: text.replace('$0', '') }, file: name.replace(/^\//, ''), line, column };
  }
  throw new Error('no $0 cursor in the fixture');
}

function pick(findings: Finding[], rules: string[], at: { file: string; line: number; column: number }): Finding | undefined {
  return findings.find((f) => rules.includes(f.rule) && f.file === at.file &&
    (f.line < at.line || (f.line === at.line && f.column <= at.column)) &&
    (f.endLine > at.line || (f.endLine === at.line && f.endColumn >= at.column)));
}

export interface FixRun { dir: string; files: Record<string, string>; finding: Finding }

/** Applies the fix once in a temp project; returns the resulting files (relative '/x' names). */
export function runFix(fixId: string, before: string, defaultFile = '/src/index.ts'): FixRun & { after: Record<string, string> } {
  const fix = FIXES.find((f) => f.id === fixId);
  assert.ok(fix, `no fix ${fixId}`);
  const { files: annotated } = parseAnnotated(before, defaultFile);
  const c = cursor(annotated);
  const dir = writeProject(c.files);
  const analyzer = Analyzer.load(dir);
  const finding = pick(runRules(analyzer).findings, fix.for, c);
  assert.ok(finding, `no ${fix.for.join('/')} finding at $0 (${c.file}:${c.line}:${c.column})`);
  const outcome = computeFix(analyzer, finding, fix);
  assert.ok('edits' in outcome, `the fix did not apply: ${'reason' in outcome ? outcome.reason : ''}`);
  const after: Record<string, string> = { ...c.files };
  for (const [abs, edits] of groupByFile(outcome.edits)) {
    const name = '/' + path.relative(dir, abs).split(path.sep).join('/');
    const text = edits.some((e) => e.create) ? edits.map((e) => e.newText).join('') : applyEdits(fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '', edits);
    after[name] = text;
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return { dir, files: c.files, finding, after };
}

export function checkFix(fixId: string, before: string, expected: string, defaultFile = '/src/index.ts'): void {
  const fix = FIXES.find((f) => f.id === fixId)!;
  const run = runFix(fixId, before, defaultFile);
  try {
    const { files: want } = parseAnnotated(expected, defaultFile);
    for (const [name, text] of Object.entries(run.after)) {
      if (name in want) assert.equal(text, want[name], `${name} after ${fixId}`);
      else assert.equal(text, run.files[name], `${name} changed but is not in the expected output`);
    }
    for (const name of Object.keys(want)) assert.ok(name in run.after, `expected file ${name} was not written`);
    // Re-analyse: the finding is gone and nothing new appears.
    const analyzer = Analyzer.load(run.dir);
    const again = runRules(analyzer).findings;
    assert.ok(!again.some((f) => f.rule === run.finding.rule && f.message === run.finding.message), `the finding is still there: ${run.finding.message}`);
    const originalAnalyzer = Analyzer.load(writeProjectCopy(run.files));
    const beforeKeys = new Set(runRules(originalAnalyzer.project ? originalAnalyzer : originalAnalyzer).findings.map((f) => `${f.rule}|${f.message}`));
    const fresh = again.filter((f) => !beforeKeys.has(`${f.rule}|${f.message}`));
    assert.deepEqual(fresh, [], 'the fix introduced new findings');
    // Idempotent: applying the fix again finds nothing to do at the same place.
    const stillApplicable = again.filter((f) => fix.for.includes(f.rule) && f.file === run.finding.file && f.line === run.finding.line);
    assert.deepEqual(stillApplicable, []);
  } finally {
    removeProject(run.dir);
  }
}

function writeProjectCopy(files: Record<string, string>): string {
  return writeProject(files, 'tt-orig-');
}

export function checkFixNotApplicable(fixId: string, before: string, defaultFile = '/src/index.ts'): void {
  const fix = FIXES.find((f) => f.id === fixId)!;
  const { files: annotated } = parseAnnotated(before, defaultFile);
  const c = cursor(annotated);
  const dir = writeProject(c.files);
  try {
    const analyzer = Analyzer.load(dir);
    const finding = pick(runRules(analyzer).findings, fix.for, c);
    if (!finding) return; // nothing to fix: not applicable
    const outcome = computeFix(analyzer, finding, fix);
    assert.ok(!('edits' in outcome), `${fixId} applied but should not`);
  } finally {
    removeProject(dir);
  }
}
