/**
 * Checks recognizers against annotated cases. Under a route's registration line, mark the method
 * name (or decorator/export) and write `METHOD /full/path coverage`; under a job's line,
 * `job KIND NAME coverage`. Every route and job the analysis reports must be marked, and every
 * mark must be reported — so a valid case is simply one with no marks.
 *
 *   checkInventory(ts`
 *     import express from 'express';
 *     const app = express();
 *     app.get('/orders/:id', (req, res) => res.json({}));
 *     //  ^^^ GET /orders/:id none
 *   `);
 */
import assert from 'node:assert/strict';
import { Analyzer } from '../../src/analysis/analyze';
import type { Inventory } from '../../src/analysis/model';
import { parseAnnotated, removeProject, writeProject } from './annotated';

export function inventoryOf(files: Record<string, string>): Inventory {
  const dir = writeProject(files);
  try {
    const inv = Analyzer.load(dir).inventory();
    return inv;
  } finally {
    removeProject(dir);
  }
}

export function checkInventory(text: string, defaultFile = '/src/index.ts'): Inventory {
  const { files, marks } = parseAnnotated(text, defaultFile);
  const inv = inventoryOf(files);
  const actual: string[] = [];
  for (const r of inv.routes) actual.push(`${r.file}:${r.line}:${r.column} ${r.method} ${r.path} ${r.coverage}`);
  for (const j of inv.jobs) actual.push(`${j.file}:${j.line}:${j.column} job ${j.kind} ${j.name} ${j.coverage}`);
  const expected = marks.map((m) => `${m.file}:${m.line}:${m.column} ${m.text}`);
  const internal = inv.errors.filter((e) => e.message.startsWith('internal error'));
  assert.deepEqual(internal, [], 'the analysis reported internal errors');
  assert.deepEqual(actual.sort(), expected.sort());
  return inv;
}
