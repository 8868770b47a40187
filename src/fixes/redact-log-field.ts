/**
 * Keeps personal data and secrets out of logs. When the log call goes to a pino logger whose
 * creation the analysis can see (`pino({...})`, possibly in another file, also through
 * `logger.child()`), the field's path is added to its `redact` option — merged into an existing
 * `redact: [...]` or `redact: { paths: [...] }` — so every call writing it prints `[Redacted]`
 * (`{ password }` → `'password'`, `{ body: { password } }` → `'body.password'`, a whole headers
 * object → its `authorization` and `cookie`, a whole request body → the body). Otherwise (console,
 * winston, an unseen pino) the field is removed from the log call's object (or the argument from
 * the call). Values interpolated into the message are left to use-structured-logger.
 * Safety: safe (the program does the same; only the log line loses the secret).
 */
import { ts, skipOuter, propertyNameText } from '../analysis/ts';
import { creationOptions, matchLogCall, type LogCall } from '../analysis/loggers';
import type { ProjectFile } from '../analysis/project';
import type { FileEdit } from './edit';
import { defineFix } from './fix';
import { FixNotApplicable } from './module';
import { findingNode } from './locate';
import { detectStyle, lineIndent, quote, type CodeStyle } from './style';

const HEADER_SECRETS = ['authorization', 'cookie'];
const USER_SECRETS = ['email', 'password', 'phone'];

export default defineFix({
  id: 'redact-log-field',
  for: ['pii-in-log'],
  safety: 'safe',
  title: (f) => `Redact ${String(f.data?.field ?? 'the field').split(' (')[0]} from the log`,
  edits(ctx) {
    const { file, finding } = ctx;
    const sink = finding.data?.sink;
    if (sink !== 'log') throw new FixNotApplicable(`the value is written to ${sink === 'metric' ? 'a metric label' : 'span attributes'}, not to a log`);
    const node = findingNode(file, finding, (_n): _n is ts.Node => true);
    if (!node) return undefined;
    let log: LogCall | undefined;
    for (let n: ts.Node | undefined = node.parent; n && !log; n = n.parent) {
      if (ts.isCallExpression(n) && n.arguments.some((a) => a.pos <= node.pos && node.end <= a.end)) log = matchLogCall(n, file, ctx.analyzer.linker);
    }
    if (!log) return undefined;
    const arg = log.call.arguments.find((a) => a.pos <= node.pos && node.end <= a.end)!;
    if (arg === log.message) throw new FixNotApplicable('the value is part of the log message; pass it as a field first (use-structured-logger)');
    const where = locate(node, arg);
    if (!where) throw new FixNotApplicable('the value is not a field of the logged object');
    const kind = String(finding.data?.kind ?? 'field');
    if (log.library === 'pino' && log.creation && log.creationFile && where.path.length) {
      const base = where.path;
      const paths = kind === 'headers' ? HEADER_SECRETS.map((h) => [...base, h]) : kind === 'user' ? USER_SECRETS.map((h) => [...base, h]) : [base];
      return redactEdits(log.creation, log.creationFile, paths.map(pinoPath));
    }
    return removeEdits(file, where, log.call);
  },
});

interface Where {
  /** Keys from the logged object down to the value. */
  path: string[];
  /** The property to remove (innermost), or undefined when the value is a whole argument. */
  property?: ts.ObjectLiteralElementLike;
  arg: ts.Expression;
}

/** The value's key path inside the argument, through nested object literals only. */
function locate(node: ts.Node, arg: ts.Expression): Where | undefined {
  let n: ts.Node = node;
  const parent = node.parent;
  if ((ts.isPropertyAssignment(parent) && (parent.name === node || parent.initializer === node)) || (ts.isShorthandPropertyAssignment(parent) && parent.name === node)) n = parent;
  else {
    let up: ts.Node = node;
    while (up !== arg && (ts.isParenthesizedExpression(up.parent) || ts.isAsExpression(up.parent) || ts.isNonNullExpression(up.parent) || ts.isSatisfiesExpression(up.parent))) up = up.parent;
    return up === arg ? { path: [], arg } : undefined;
  }
  const path: string[] = [];
  let property: ts.ObjectLiteralElementLike | undefined;
  for (;;) {
    if (!ts.isPropertyAssignment(n) && !ts.isShorthandPropertyAssignment(n)) return undefined;
    const key = propertyNameText(n.name);
    if (key === undefined) return undefined;
    path.unshift(key);
    property ??= n;
    let up: ts.Node = n.parent;
    while (up !== arg && (ts.isParenthesizedExpression(up.parent) || ts.isAsExpression(up.parent) || ts.isSatisfiesExpression(up.parent))) up = up.parent;
    if (up === arg) return { path, property, arg };
    if (ts.isPropertyAssignment(up.parent) && up.parent.initializer === up) { n = up.parent; continue; }
    return undefined;
  }
}

/** ['req', 'headers', 'x-api-key'] → `req.headers["x-api-key"]` (pino's redact path syntax). */
function pinoPath(keys: string[]): string {
  return keys.map((k, i) => (/^[A-Za-z_$][\w$]*$/.test(k) ? (i ? '.' : '') + k : `["${k.replace(/"/g, '\\"')}"]`)).join('');
}

/** Adds paths to the `redact` option of a pino creation call (possibly in another file). */
function redactEdits(creation: ts.CallExpression | ts.NewExpression, file: ProjectFile, paths: string[]): FileEdit[] {
  const sf = file.sf;
  const style = detectStyle(sf);
  let opts = creationOptions(creation);
  const first = creation.arguments?.[0];
  if (!opts && first) {
    const s = skipOuter(first);
    if (ts.isIdentifier(s)) {
      const d = file.values.declarationOf(s);
      const init = d && ts.isVariableDeclaration(d) && d.initializer ? skipOuter(d.initializer) : undefined;
      if (init && ts.isObjectLiteralExpression(init)) opts = init;
      else throw new FixNotApplicable(`the pino options of ${file.rel} are built elsewhere`);
    } else if (ts.isObjectLiteralExpression(s)) opts = s;
    else if (ts.isCallExpression(s) || ts.isPropertyAccessExpression(s)) {
      // pino(destination): the options go first
      const list = paths.map((p) => quote(p, style)).join(', ');
      return [{ file: file.abs, start: first.getStart(sf), end: first.getStart(sf), newText: `{ redact: [${list}] }, ` }];
    } else throw new FixNotApplicable(`the pino options of ${file.rel} cannot be read`);
  }
  if (!opts) {
    const open = sf.text.indexOf('(', creation.expression.getEnd());
    if (open < 0 || open >= creation.getEnd()) {
      // `new Pino` without arguments is not pino's API; `pino` without a call is not a creation
      throw new FixNotApplicable('the pino call has no argument list');
    }
    return [{ file: file.abs, start: open + 1, end: open + 1, newText: `{ redact: [${paths.map((p) => quote(p, style)).join(', ')}] }` }];
  }
  const redact = opts.properties.find((p) => propertyNameText(p.name) === 'redact');
  if (redact) {
    if (!ts.isPropertyAssignment(redact)) throw new FixNotApplicable('the redact option is not a literal');
    let arr = skipOuter(redact.initializer);
    if (ts.isObjectLiteralExpression(arr)) {
      const p = arr.properties.find((x) => propertyNameText(x.name) === 'paths');
      if (!p || !ts.isPropertyAssignment(p)) throw new FixNotApplicable('the redact option has no paths list');
      arr = skipOuter(p.initializer);
    }
    if (!ts.isArrayLiteralExpression(arr)) throw new FixNotApplicable('the redact option is not a list of paths');
    const existing = new Set(arr.elements.map((e) => (ts.isStringLiteralLike(e) ? e.text : '')));
    const add = paths.filter((p) => !existing.has(p));
    if (!add.length) return [];
    return [appendToList(file, arr, add.map((p) => quote(p, style)), style)];
  }
  const prop = `redact: [${paths.map((p) => quote(p, style)).join(', ')}]`;
  return [appendToList(file, opts, [prop], style)];
}

/** Appends elements to an array or object literal, keeping its layout (one line or one per line, trailing comma). */
function appendToList(file: ProjectFile, list: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression, items: string[], style: CodeStyle): FileEdit {
  const sf = file.sf;
  const elements: ts.NodeArray<ts.Node> = ts.isArrayLiteralExpression(list) ? list.elements : list.properties;
  const open = list.getStart(sf) + 1;
  const close = list.getEnd() - 1;
  const last = elements[elements.length - 1];
  if (!last) {
    const pad = ts.isObjectLiteralExpression(list) ? ' ' : '';
    return { file: file.abs, start: open, end: close, newText: `${pad}${items.join(', ')}${pad}` };
  }
  const trailingComma = elements.hasTrailingComma;
  const multiline = sf.text.slice(open, last.getStart(sf)).includes('\n') || sf.text.slice(last.getEnd(), close).includes('\n');
  if (multiline && ts.isObjectLiteralExpression(list)) {
    const indent = lineIndent(sf.text, last.getStart(sf));
    const after = trailingComma ? sf.text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
    return { file: file.abs, start: after, end: after, newText: `${trailingComma ? '' : ','}${style.eol}${indent}${items.join(`,${style.eol}${indent}`)}${trailingComma ? ',' : ''}` };
  }
  return { file: file.abs, start: last.getEnd(), end: last.getEnd(), newText: `, ${items.join(', ')}` };
}

/** Removes the property (or, when it is the whole argument or the object's only property, the argument). */
function removeEdits(file: ProjectFile, where: Where, call: ts.CallExpression): FileEdit[] {
  const sf = file.sf;
  const p = where.property;
  const obj = p?.parent;
  const argIsObject = obj && skipOuter(where.arg) === obj;
  if (p && obj && ts.isObjectLiteralExpression(obj) && !(argIsObject && obj.properties.length === 1)) {
    return [removeListElement(file, obj.properties, p, sf)];
  }
  if (p && !argIsObject) throw new FixNotApplicable('the field is inside a nested object');
  if (call.arguments.length === 1 && !ts.isIdentifier(skipOuter(call.expression))) {
    return [{ file: file.abs, start: where.arg.getStart(sf), end: where.arg.getEnd(), newText: '' }];
  }
  return [removeListElement(file, call.arguments, where.arg, sf)];
}

function removeListElement(file: ProjectFile, list: ts.NodeArray<ts.Node>, el: ts.Node, sf: ts.SourceFile): FileEdit {
  const i = list.indexOf(el);
  if (i > 0) return { file: file.abs, start: list[i - 1].getEnd(), end: el.getEnd(), newText: '' };
  if (list.length > 1) return { file: file.abs, start: el.getStart(sf), end: list[1].getStart(sf), newText: '' };
  return { file: file.abs, start: el.getStart(sf), end: el.getEnd(), newText: '' };
}
