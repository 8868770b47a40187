import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';
import { SNIPPETS, renderSnippets } from '../../src/fixes/templates';

/** The snippet as code: placeholders replaced by their defaults, tab stops removed. */
function expand(body: string[]): string {
  return body.join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '');
}

function parseErrors(code: string): string[] {
  const sf = ts.createSourceFile('snippet.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diags = (sf as unknown as { parseDiagnostics: Array<{ messageText: unknown; start?: number }> }).parseDiagnostics;
  return diags.map((d) => `${typeof d.messageText === 'string' ? d.messageText : 'error'} at ${d.start}`);
}

describe('snippets', () => {
  for (const s of SNIPPETS) {
    it(`${s.prefix} parses as TypeScript`, () => {
      const code = expand(s.body);
      const wrapped = s.where === 'statement' ? `async function snippet(req: any, res: any) {\n${code}\n}` : code;
      assert.deepEqual(parseErrors(wrapped), [], wrapped);
    });
  }

  it('the parse check catches a broken body (the test can fail)', () => {
    assert.notDeepEqual(parseErrors(expand(['export const ${1:x} = new Counter({', "  name: 'x_total',"])), []);
  });

  it('metric names follow Prometheus conventions', () => {
    const names = SNIPPETS.flatMap((s) => [...expand(s.body).matchAll(/name: '([^']+)'/g)].map((m) => m[1]));
    assert.ok(names.length >= 3);
    for (const n of names) assert.match(n, /^[a-z_][a-z0-9_]*$/, n);
    assert.ok(names.some((n) => n.endsWith('_total')));
    assert.ok(names.some((n) => n.endsWith('_seconds')));
  });

  it('covers counter, histogram, gauge, route timer, job wrapper, span and logger with unique prefixes', () => {
    const prefixes = SNIPPETS.map((s) => s.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length);
    const all = SNIPPETS.map((s) => expand(s.body)).join('\n');
    for (const needle of ['new Counter(', 'new Histogram(', 'new Gauge(', 'startTimer', 'jobRunsTotal', 'rowsProcessedTotal', 'recordException', 'span.end()', 'trace_id']) {
      assert.ok(all.includes(needle), needle);
    }
  });

  it('snippets/typescript.json is generated from SNIPPETS (node scripts/gen-snippets.mjs)', () => {
    const file = path.resolve(__dirname, '../../snippets/typescript.json');
    assert.equal(fs.readFileSync(file, 'utf8'), renderSnippets());
  });
});
