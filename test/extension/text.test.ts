import assert from 'node:assert/strict';
import { formatRed, ignoreComment, minimalChange } from '../../src/extension/text';

function apply(before: string, c: { start: number; end: number; newText: string } | undefined): string {
  return c ? before.slice(0, c.start) + c.newText + before.slice(c.end) : before;
}

describe('extension text helpers', () => {
  it('minimalChange keeps the common prefix and suffix', () => {
    const before = 'import a from "a";\nconst x = 1;\nexport {};\n';
    const after = 'import a from "a";\nimport b from "b";\nconst x = 1;\nexport {};\n';
    const c = minimalChange(before, after)!;
    assert.equal(c.start, before.indexOf('const'));
    assert.equal(c.end, c.start);
    assert.equal(c.newText, 'import b from "b";\n');
    assert.equal(apply(before, c), after);
  });

  it('minimalChange handles deletions, identical texts and surrogate pairs', () => {
    assert.equal(minimalChange('same', 'same'), undefined);
    assert.equal(apply('abcdef', minimalChange('abcdef', 'abef')), 'abef');
    const before = 'x 😀 y', after = 'x 😃 y';
    const c = minimalChange(before, after)!;
    assert.equal(apply(before, c), after);
    assert.equal(c.newText, '😃', 'the whole code point is replaced');
  });

  it('ignoreComment indents like the line it suppresses', () => {
    assert.equal(ignoreComment('    app.get("/x", h);', 'uninstrumented-route'), '    // telltale-ignore-next-line uninstrumented-route\n');
    assert.equal(ignoreComment('\tfoo();', 'pii-in-log', '\r\n'), '\t// telltale-ignore-next-line pii-in-log\r\n');
  });

  it('formatRed renders a code lens line', () => {
    assert.equal(formatRed({ rate: 12.43, errorRatio: 0.008, p95: 0.084 }), '12.4 req/s · 0.8% errors · p95 84 ms');
    assert.equal(formatRed({ rate: 0.5, errorRatio: null, p95: null }), '0.5 req/s · no requests');
    assert.equal(formatRed({ rate: 250, errorRatio: 0.25, p95: 1.5 }), '250 req/s · 25% errors · p95 1.5 s');
  });
});
