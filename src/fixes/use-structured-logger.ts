/**
 * Turns unstructured logging into structured pino calls: `console.log('x', a)` →
 * `logger.info({ a }, 'x')`, and an interpolated message (`` `user ${id} logged in` ``) into
 * fields plus a constant message (`logger.info({ id }, 'user logged in')`). Levels map
 * log/info → info, debug → debug, warn → warn, error → error; an error argument becomes `err`
 * (pino's error serializer prints its type, message and stack). console calls get the project's
 * pino logger (one the file already uses, an exported one, or the observability module's
 * `logger`, which also adds pino to package.json); structured loggers keep their receiver
 * (pino/bunyan take fields first, winston after the message).
 * Safety: suggestion (the log output changes).
 */
import { ts, skipOuter } from '../analysis/ts';
import { matchLogCall, type LogCall } from '../analysis/loggers';
import { stringOf } from '../analysis/strings';
import type { ProjectFile } from '../analysis/project';
import type { Linker } from '../analysis/link';
import { defineFix } from './fix';
import { FixNotApplicable } from './module';
import { ancestor, findingNode, projectLogger } from './locate';
import { quote } from './style';

const CONSOLE_LEVEL: Record<string, string> = { log: 'info', info: 'info', debug: 'debug', trace: 'trace', warn: 'warn', error: 'error' };
/** Keys pino writes itself: a field of that name would overwrite them. */
const RESERVED = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'v']);
const ERROR_NAME = /^_?(e|err|error|ex|exc|exception|cause)$/;
/** Parts of a member chain that say nothing about the value (`req.params.id` is the `id`). */
const CONTAINER = new Set(['req', 'request', 'res', 'ctx', 'c', 'params', 'query', 'body', 'headers', 'this', 'data', 'payload', 'args', 'options', 'opts', 'props']);
const GENERIC_LAST = new Set(['id', 'name', 'length', 'size', 'count', 'status', 'code', 'type', 'message', 'key', 'value']);

export default defineFix({
  id: 'use-structured-logger',
  for: ['unstructured-log'],
  safety: 'suggestion',
  title: (f) => f.data?.logger === 'console' ? `Log with pino instead of console.${String(f.data?.method ?? 'log')}` : 'Pass the interpolated values as log fields',
  edits(ctx) {
    const { file, style, finding } = ctx;
    const linker = ctx.analyzer.linker;
    const node = findingNode(file, finding, (n): n is ts.Expression => ts.isExpression(n));
    if (!node) return undefined;
    const call = ancestor(node, (n): n is ts.CallExpression => ts.isCallExpression(n) && (n.expression === node || n.arguments.includes(node as ts.Expression)));
    if (!call) return undefined;
    const log = matchLogCall(call, file, linker);
    if (!log) return undefined;
    if (call.arguments.some((a) => ts.isSpreadElement(a))) throw new FixNotApplicable('the log call spreads its arguments');
    if (!call.arguments.length && log.library === 'console') {
      // console.log() only prints a blank line: nothing worth a structured log line
      const stmt = call.parent;
      if (!ts.isExpressionStatement(stmt) || !(ts.isBlock(stmt.parent) || ts.isSourceFile(stmt.parent))) throw new FixNotApplicable(`${log.label}() without arguments only prints a blank line`);
      const text = file.sf.text;
      const start = text.lastIndexOf('\n', stmt.getStart(file.sf) - 1) + 1;
      const lineEnd = text.indexOf('\n', stmt.getEnd());
      const alone = !text.slice(start, stmt.getStart(file.sf)).trim() && lineEnd >= 0 && !text.slice(stmt.getEnd(), lineEnd).trim();
      return [alone ? { file: file.abs, start, end: lineEnd + 1, newText: '' } : { file: file.abs, start: stmt.getStart(file.sf), end: stmt.getEnd(), newText: '' }];
    }
    let receiver: string;
    let method: string;
    let order: 'fields-first' | 'message-first';
    const args: readonly ts.Expression[] = call.arguments;
    if (log.library === 'console') {
      method = CONSOLE_LEVEL[log.method] ?? 'info';
      receiver = projectLogger(ctx, call);
      order = 'fields-first';
    } else if (log.library === 'pino' || log.library === 'bunyan' || log.library === 'winston') {
      receiver = log.receiver.getText(file.sf);
      method = log.method;
      order = log.library === 'winston' ? 'message-first' : 'fields-first';
      if (log.library === 'winston' && log.method === 'log') throw new FixNotApplicable("winston's log(level, …) form is left as written");
    } else throw new FixNotApplicable(`the ${log.library} logger's field convention is not known`);
    const built = structure(log, args, file, linker, log.library === 'console' ? log.method : undefined);
    if (!built) return undefined;
    const fields = built.fields.length ? `{ ${built.fields.join(', ')} }` : '';
    const msg = built.message ? quote(built.message, style) : '';
    let text: string;
    if (order === 'fields-first') text = `${receiver}.${method}(${[fields, msg].filter(Boolean).join(', ')})`;
    else text = `${receiver}.${method}(${[msg || quote('', style), fields].filter(Boolean).join(', ')})`;
    return [{ file: file.abs, start: call.getStart(file.sf), end: call.getEnd(), newText: text }];
  },
});

interface Structured { message: string; fields: string[] }

/** Splits a log call's arguments into a constant message and named fields. */
function structure(log: LogCall, args: readonly ts.Expression[], file: ProjectFile, linker: Linker, consoleMethod: string | undefined): Structured | undefined {
  const sf = file.sf;
  const values: ts.Expression[] = [];
  const props: string[] = [];
  let message = '';
  let rest = [...args];
  const messageArg = log.library === 'console' ? (rest[0] && isStringish(rest[0]) ? rest[0] : undefined) : log.message;
  if (messageArg) {
    const split = splitMessage(messageArg, file, linker);
    message = split.text;
    values.push(...split.values);
    rest = rest.filter((a) => a !== messageArg);
  }
  for (const a of rest) {
    const s = skipOuter(a);
    if (ts.isObjectLiteralExpression(s)) { for (const p of s.properties) props.push(p.getText(sf)); continue; }
    if (ts.isStringLiteralLike(s)) { message = [message, s.text].filter(Boolean).join(' '); continue; }
    values.push(a);
  }
  if (!values.length && !props.length && !message) return undefined;
  const used = new Set<string>();
  for (const p of props) {
    const m = /^([A-Za-z_$][\w$]*)\s*[:(]?/.exec(p);
    if (m) used.add(m[1]);
  }
  const fields = [...props];
  for (const v of values) {
    const unwrapped = unwrapStringify(v);
    let key = keyFor(unwrapped, file, consoleMethod);
    if (RESERVED.has(key)) key += 'Value';
    let k = key;
    for (let i = 2; used.has(k); i++) k = `${key}${i}`;
    used.add(k);
    const text = unwrapped.getText(sf);
    fields.push(ts.isIdentifier(unwrapped) && unwrapped.text === k ? k : `${k}: ${text}`);
  }
  return { message: cleanMessage(message), fields };
}

function isStringish(e: ts.Expression): boolean {
  const s = skipOuter(e);
  return ts.isStringLiteralLike(s) || ts.isTemplateExpression(s) ||
    (ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.PlusToken && (isStringish(s.left) || isStringish(s.right)));
}

const HOLE = '\uE000';

/** The constant text of a message (constants inlined, holes where values were) and the values. */
function splitMessage(e: ts.Expression, file: ProjectFile, linker: Linker): { text: string; values: ts.Expression[] } {
  const values: ts.Expression[] = [];
  let text = '';
  const part = (x: ts.Expression) => {
    const s = skipOuter(x);
    const constant = stringOf(s, file, linker);
    if (constant !== undefined) { text += constant; return; }
    if (ts.isNumericLiteral(s)) { text += s.text; return; }
    text += HOLE;
    values.push(s);
  };
  const visit = (x: ts.Expression) => {
    const s = skipOuter(x);
    if (ts.isStringLiteralLike(s)) text += s.text;
    else if (ts.isTemplateExpression(s)) {
      text += s.head.text;
      for (const span of s.templateSpans) { part(span.expression); text += span.literal.text; }
    } else if (ts.isBinaryExpression(s) && s.operatorToken.kind === ts.SyntaxKind.PlusToken && (isStringish(s.left) || isStringish(s.right))) {
      visit(s.left);
      visit(s.right);
    } else part(s);
  };
  visit(e);
  return { text, values };
}

/** Removes the holes and what only framed them (`id=`, `"…"`, `(…)`), printf placeholders and dangling punctuation. */
function cleanMessage(text: string): string {
  return text
    .replace(/%[sdifjoOc%]/g, HOLE)
    .replace(/[\w.-]*[=:#]\s*\uE000/g, HOLE)
    .replace(/(["'`([{<])\s*\uE000+\s*(["'`)\]}>])/g, HOLE)
    .replace(/\s+(by|for|to|of|from|with|at|on|in|as|after|before)\s*\uE000[\s\uE000]*$/, HOLE)
    .replace(/\uE000/g, ' ')
    .replace(/\s+([,.;:!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim()
    .replace(/^[\s,;:=#|–—-]+|[\s,;:=#|(–—-]+$/g, '')
    .trim();
}

/** `JSON.stringify(x)` in a log call only served to print x: pino serializes it. */
function unwrapStringify(e: ts.Expression): ts.Expression {
  const s = skipOuter(e);
  if (ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression) && ts.isIdentifier(s.expression.expression) &&
    s.expression.expression.text === 'JSON' && s.expression.name.text === 'stringify' && s.arguments.length >= 1) return s.arguments[0];
  return e;
}

/** A field name for a value: its variable or property name (`req.params.id` → `id`, `order.id` → `orderId`), `err` for errors. */
function keyFor(e: ts.Expression, file: ProjectFile, consoleMethod: string | undefined): string {
  const s = skipOuter(e);
  if (ts.isIdentifier(s)) {
    const d = file.values.declarationOf(s);
    if (ERROR_NAME.test(s.text) || (d && ts.isVariableDeclaration(d) && ts.isCatchClause(d.parent))) return s.text === 'err' || consoleMethod !== undefined || ERROR_NAME.test(s.text) ? 'err' : s.text;
    return s.text;
  }
  if (ts.isNewExpression(s) && ts.isIdentifier(s.expression) && /Error$/.test(s.expression.text)) return 'err';
  const chain: string[] = [];
  let x: ts.Expression = s;
  for (;;) {
    x = skipOuter(x);
    if (ts.isPropertyAccessExpression(x)) { chain.unshift(x.name.text); x = x.expression; continue; }
    if (ts.isElementAccessExpression(x)) {
      const k = ts.isStringLiteralLike(x.argumentExpression) ? x.argumentExpression.text : undefined;
      if (k) chain.unshift(k);
      x = x.expression;
      continue;
    }
    if (ts.isCallExpression(x)) {
      const callee = skipOuter(x.expression);
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      if (name && !chain.length) chain.unshift(name);
      x = ts.isPropertyAccessExpression(callee) ? callee.expression : callee;
      if (ts.isIdentifier(x) && x === callee) break;
      continue;
    }
    if (ts.isIdentifier(x)) { chain.unshift(x.text); break; }
    break;
  }
  const words = chain.map((w) => camel(w)).filter(Boolean);
  if (!words.length) return 'value';
  const last = words[words.length - 1];
  const prev = words[words.length - 2];
  if (GENERIC_LAST.has(last) && prev && !CONTAINER.has(prev)) return prev + last.charAt(0).toUpperCase() + last.slice(1);
  return last;
}

function camel(w: string): string {
  const c = w.replace(/[^A-Za-z0-9_$]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''));
  return /^[A-Za-z_$]/.test(c) ? c : '';
}
