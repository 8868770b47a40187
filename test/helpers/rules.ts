/**
 * Rule tests in the STYLE.md form (Biome/rust-analyzer style): each case is annotated code.
 * A valid case must give no finding of the rule; an invalid case must give exactly the marked
 * findings (`//^^^ message` under the line; the carets are the finding's range on that line —
 * for multi-line ranges only the start is checked).
 *
 *   checkRule(rule, {
 *     valid: [ts`const app = { get: (p: string, h: () => void) => h() }; app.get('/x', () => {});`],
 *     invalid: [ts`
 *       import { Router } from 'express';
 *       const r = Router();
 *       r.post('/pay', handler);
 *       //^^^^ Route POST /pay has no metrics or spans
 *     `],
 *   });
 */
import assert from 'node:assert/strict';
import { Analyzer } from '../../src/analysis/analyze';
import { runRules } from '../../src/analysis/findings';
import type { Finding } from '../../src/analysis/model';
import type { AnyRule } from '../../src/analysis/rule';
import type { TelltaleConfig } from '../../src/config/load';
import { parseAnnotated, removeProject, writeProject } from './annotated';

export interface RuleCases {
  valid?: string[];
  invalid?: string[];
  /** Rule options (as `rules.<id>.options` in telltale.config.json). */
  options?: Record<string, unknown>;
  defaultFile?: string;
}

export function findingsOf(rule: AnyRule, files: Record<string, string>, options?: Record<string, unknown>): { findings: Finding[]; errors: string[] } {
  const dir = writeProject(files);
  try {
    const analyzer = Analyzer.load(dir);
    const config: TelltaleConfig = options ? { rules: { [rule.id]: { options } } } : {};
    const result = runRules(analyzer, { config, rules: [rule], only: [rule.id] });
    return { findings: result.findings, errors: result.errors.map((e) => `${e.file}: ${e.message}`) };
  } finally {
    removeProject(dir);
  }
}

export function checkRule(rule: AnyRule, cases: RuleCases): void {
  const all = [...(cases.valid ?? []).map((c) => ({ c, valid: true })), ...(cases.invalid ?? []).map((c) => ({ c, valid: false }))];
  for (const [i, { c, valid }] of all.entries()) {
    const { files, marks } = parseAnnotated(c, cases.defaultFile);
    if (valid) assert.equal(marks.length, 0, `valid case #${i + 1} has marks`);
    else assert.ok(marks.length > 0, `invalid case #${i + 1} has no marks`);
    const { findings, errors } = findingsOf(rule, files, cases.options);
    assert.deepEqual(errors, [], `case #${i + 1}: the rule reported internal errors`);
    const actual = findings.map((f) => `${f.file}:${f.line}:${f.column}${f.endLine === f.line ? `-${f.endColumn}` : ''} ${f.message}`).sort();
    const expected = marks.map((m) => {
      const multi = findings.find((f) => f.file === m.file && f.line === m.line && f.column === m.column && f.endLine !== f.line);
      return `${m.file}:${m.line}:${m.column}${multi ? '' : `-${m.endColumn}`} ${m.text}`;
    }).sort();
    assert.deepEqual(actual, expected, `${valid ? 'valid' : 'invalid'} case #${i + 1}:\n${c}`);
  }
}
