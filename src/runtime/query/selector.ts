/**
 * A PromQL series selector, the subset `/api/series?match=` takes: `name`, `name{l="v", l!="v",
 * l=~"re", l!~"re"}` or `{__name__=~"http_.*"}`. Regexes are fully anchored, as in PromQL.
 */
import type { Labels } from '../scrape/exposition';

export interface Matcher { name: string; op: '=' | '!=' | '=~' | '!~'; value: string; re?: RegExp }

export class SelectorError extends Error { override name = 'SelectorError'; }

export function parseSelector(input: string): { metric?: string; matchers: Matcher[] } {
  const s = input.trim();
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?$/s.exec(s);
  if (!m || (!m[1] && m[2] === undefined)) throw new SelectorError(`'${input}' is not a series selector like name{label="value"}`);
  const matchers: Matcher[] = [];
  const body = m[2] ?? '';
  const re = /\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/gy;
  let pos = 0;
  while (pos < body.length) {
    re.lastIndex = pos;
    const x = re.exec(body);
    if (!x) throw new SelectorError(`bad matcher at '${body.slice(pos, pos + 30)}' in '${input}'`);
    const value = JSON.parse(`"${x[3]}"`) as string;
    const op = x[2] as Matcher['op'];
    const matcher: Matcher = { name: x[1], op, value };
    if (op === '=~' || op === '!~') {
      try { matcher.re = new RegExp(`^(?:${value})$`); } catch (err) { throw new SelectorError(`bad regex '${value}': ${(err as Error).message}`); }
    }
    matchers.push(matcher);
    pos = re.lastIndex;
    if (!x[4]) break;
  }
  if (pos < body.length && body.slice(pos).trim()) throw new SelectorError(`unexpected '${body.slice(pos)}' in '${input}'`);
  return { metric: m[1], matchers };
}

export function matches(name: string, labels: Labels, matchers: readonly Matcher[]): boolean {
  for (const m of matchers) {
    const v = m.name === '__name__' ? name : labels[m.name] ?? '';
    const ok = m.op === '=' ? v === m.value : m.op === '!=' ? v !== m.value : m.op === '=~' ? m.re!.test(v) : !m.re!.test(v);
    if (!ok) return false;
  }
  return true;
}
