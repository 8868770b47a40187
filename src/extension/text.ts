/**
 * Pure text helpers (no vscode): the smallest replacement turning one text into another, and
 * offset → position. Unit-tested under mocha (test/extension/text.test.ts).
 */

export interface TextChange { start: number; end: number; newText: string }

/** One replacement of [start, end) of `before` that yields `after` (common prefix and suffix kept). */
export function minimalChange(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endB = before.length, endA = after.length;
  while (endB > start && endA > start && before.charCodeAt(endB - 1) === after.charCodeAt(endA - 1)) { endB--; endA--; }
  // do not split a surrogate pair
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  if (endB < before.length && isLowSurrogate(before.charCodeAt(endB))) { endB++; endA++; }
  return { start, end: endB, newText: after.slice(start, endA) };
}

function isHighSurrogate(c: number): boolean { return c >= 0xd800 && c <= 0xdbff; }
function isLowSurrogate(c: number): boolean { return c >= 0xdc00 && c <= 0xdfff; }

/** The comment line that suppresses `rule` on the line below, indented like that line. */
export function ignoreComment(lineText: string, rule: string, eol = '\n'): string {
  const indent = /^\s*/.exec(lineText)?.[0] ?? '';
  return `${indent}// telltale-ignore-next-line ${rule}${eol}`;
}

/** "12.4 req/s · 0.8% errors · p95 84 ms" — numbers for a code lens. */
export function formatRed(r: { rate: number; errorRatio: number | null; p95: number | null }): string {
  const rate = r.rate >= 100 ? r.rate.toFixed(0) : r.rate >= 10 ? r.rate.toFixed(1) : r.rate.toFixed(2).replace(/0$/, '');
  const parts = [`${rate} req/s`];
  parts.push(r.errorRatio === null ? 'no requests' : `${(r.errorRatio * 100).toFixed(r.errorRatio < 0.1 ? 1 : 0)}% errors`);
  if (r.p95 !== null) parts.push(`p95 ${formatSeconds(r.p95)}`);
  return parts.join(' · ');
}

export function formatSeconds(s: number): string {
  if (s < 1) return `${Math.round(s * 1000)} ms`;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  return `${(s / 60).toFixed(1)} min`;
}
