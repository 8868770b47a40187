/**
 * Finds errors that are caught and dropped without a trace: a `catch` block that is empty or only
 * returns (or assigns) a default value, and promise `.catch()` handlers that do the same
 * (`.catch(() => {})`, `.catch(() => null)`, `.catch(noop)`).
 *
 * A catch that rethrows, logs, records the error on a span, reports it to an error tracker, or
 * propagates it (returns it, passes it to `next(err)`, `reject(err)` or a callback, stores it) does
 * something with it and is never reported: such code is never empty or default-only.
 * Why: a swallowed error leaves no log line, no failed span and no error metric — the request
 * "succeeds" with wrong data, and whoever debugs it later has nothing to start from. Log it with
 * the error object (or record it on the active span) even when falling back to a default is right.
 * @notes
 * Deliberately not reported, because they are intended fallbacks rather than lost failures:
 *
 * - a catch with an explanatory comment inside (`catch { // optional, absent in dev }`, an
 *   `eslint-disable` comment); `TODO`/`FIXME` comments do not count;
 * - probes whose failure *is* the answer: a `try` that only loads an optional dependency
 *   (`require('x')`, `import('x')`, `require.resolve`), parses or decodes input (`JSON.parse`,
 *   `new URL`, `decodeURIComponent`, `jwt.verify`, `schema.parse`), checks or cleans up files
 *   (`fs.statSync`, `fs.unlinkSync`, `readFileSync`), or closes resources (`close`, `quit`,
 *   `destroy`) — and the same calls followed by `.catch(() => …)`;
 * - boolean predicates: `try { …; return true } catch { return false }`, and `return false` in
 *   `is…`/`has…`/`can…` functions;
 * - a `try` nested in a `catch` or `finally` (a secondary failure while an error is already being
 *   handled, best-effort cleanup), and functions whose name announces it (`safe…`, `try…`,
 *   `maybe…`, `…OrNull`, `…OrDefault`);
 * - `.catch()` of schema libraries (zod, yup, valibot), which sets a fallback value.
 * @invalid
 * ```ts
 * async function loadOrders(db: { query(sql: string): Promise<unknown[]> }) {
 *   try {
 *     return await db.query('select * from orders');
 *   } catch (err) {
 * //  ^^^^^ Error swallowed: the catch block only returns []
 *     return [];
 *   }
 * }
 * ```
 * @invalid
 * ```ts
 * export function notify(send: () => Promise<void>) {
 *   send().catch(() => {});
 * //       ^^^^^ Error swallowed: the .catch() handler is empty
 * }
 * ```
 * @valid
 * ```ts
 * import pino from 'pino';
 * const logger = pino();
 * export async function loadOrders(db: { query(sql: string): Promise<unknown[]> }) {
 *   try {
 *     return await db.query('select * from orders');
 *   } catch (err) {
 *     logger.error({ err }, 'loading orders failed');
 *     return [];
 *   }
 * }
 * ```
 * @valid an optional dependency probe
 * ```ts
 * let sharp: unknown;
 * try { sharp = require('sharp'); } catch { sharp = undefined; }
 * ```
 */
import { ts, skipOuter, memberName, isFunctionLike } from '../ts';
import { defineRule, type RuleContext } from '../rule';

/** Calls whose failure is an expected answer (parse/decode/verify input, probe or clean up files, close resources). */
const PROBE_CALLS = new Set([
  'require', 'resolve', 'parse', 'safeParse', 'parseAsync', 'decode', 'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent',
  'atob', 'btoa', 'verify', 'validate', 'validateSync', 'decrypt', 'deserialize', 'unserialize', 'load', 'loads', 'json',
  'stat', 'statSync', 'lstat', 'lstatSync', 'access', 'accessSync', 'exists', 'existsSync', 'realpath', 'realpathSync',
  'readlink', 'readlinkSync', 'readFile', 'readFileSync', 'readdir', 'readdirSync', 'unlink', 'unlinkSync', 'rm', 'rmSync',
  'rmdir', 'rmdirSync', 'mkdir', 'mkdirSync', 'close', 'closeSync', 'destroy', 'end', 'quit', 'disconnect', 'terminate',
  'kill', 'abort', 'unref', 'cancel', 'removeListener', 'removeAllListeners', 'off', 'clearTimeout', 'clearInterval',
  'structuredClone', 'BigInt', 'execSync', 'execFileSync', 'spawnSync', 'which', 'createRequire',
]);
const PROBE_NEW = new Set(['URL', 'RegExp', 'Date', 'TextDecoder', 'URLSearchParams']);
/** Side-effect-free helpers that may accompany a probe (`require(path.join(dir, 'x'))`). */
const HARMLESS_CALLS = new Set([
  'join', 'dirname', 'basename', 'extname', 'relative', 'normalize', 'toString', 'trim', 'trimStart', 'trimEnd', 'split',
  'slice', 'substring', 'substr', 'toLowerCase', 'toUpperCase', 'replace', 'replaceAll', 'includes', 'startsWith', 'endsWith',
  'map', 'filter', 'keys', 'values', 'entries', 'from', 'isArray', 'isBuffer', 'concat', 'stringify', 'assign', 'freeze',
  'String', 'Number', 'Boolean', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'floor', 'ceil', 'round', 'min', 'max', 'abs',
  'test', 'match', 'exec', 'indexOf', 'has', 'cwd', 'toISOString', 'getTime',
]);
const SCHEMA_LIBS = ['zod', 'yup', 'valibot', 'joi', '@sinclair/typebox', 'superstruct', 'io-ts', 'effect'];
const NOOP_NAMES = new Set(['noop', 'ignore', 'ignoreError', 'ignoreErrors', 'swallow']);

type Trivial = { kind: 'empty' } | { kind: 'returns'; text: string } | { kind: 'assigns'; text: string };

export default defineRule({
  id: 'swallowed-error',
  category: 'correctness',
  severity: 'warning',
  description: 'Caught error dropped without a log, span, report or rethrow',
  fixes: ['log-swallowed-error'],
  visit: {
    [ts.SyntaxKind.CatchClause](clause, ctx) {
      const sf = ctx.file.sf;
      const errName = clause.variableDeclaration && ts.isIdentifier(clause.variableDeclaration.name) ? clause.variableDeclaration.name.text : undefined;
      if (clause.variableDeclaration && !errName) return; // destructured: `catch ({ message })` uses it
      const trivial = trivialBody(clause.block.statements, errName, sf);
      if (!trivial || hasExplanation(clause.block, sf)) return;
      const tryStmt = clause.parent;
      if (isProbe(tryStmt.tryBlock) || isBooleanPredicate(tryStmt.tryBlock, trivial)) return;
      if (insideErrorHandling(tryStmt) || toleratesFailure(tryStmt, trivial)) return;
      const keyword = clause.getFirstToken(sf) ?? clause;
      ctx.report(keyword, `Error swallowed: the catch block ${describe(trivial)}`);
    },
    [ts.SyntaxKind.CallExpression](call, ctx) {
      const callee = call.expression;
      if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'catch' || call.arguments.length !== 1) return;
      const sf = ctx.file.sf;
      const handler = skipOuter(call.arguments[0]);
      let trivial: Trivial | undefined;
      if (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler)) {
        const p = handler.parameters[0];
        if (p && !ts.isIdentifier(p.name)) return;
        const errName = p && ts.isIdentifier(p.name) ? p.name.text : undefined;
        if (ts.isBlock(handler.body)) {
          trivial = trivialBody(handler.body.statements, errName, sf);
          if (trivial && hasExplanation(handler.body, sf)) return;
        } else {
          const text = defaultText(handler.body, errName, sf);
          if (text !== undefined) trivial = { kind: 'returns', text };
        }
      } else if (isNoop(handler, ctx)) trivial = { kind: 'empty' };
      if (!trivial) return;
      // Not a promise: zod/yup `.catch(fallback)`; or a probe: `import('x').catch(() => null)`, `fs.promises.rm(p).catch(() => {})`
      let base: ts.Expression = callee.expression;
      for (;;) {
        const s = skipOuter(base);
        if (ts.isCallExpression(s) && ts.isPropertyAccessExpression(s.expression)) base = s.expression.expression;
        else if (ts.isPropertyAccessExpression(s)) base = s.expression;
        else { base = s; break; }
      }
      const bv = ctx.file.valueOf(base);
      if (bv.k === 'module' && SCHEMA_LIBS.some((m) => bv.module === m || bv.module.startsWith(m + '/'))) return;
      const recv = skipOuter(callee.expression);
      if (ts.isCallExpression(recv) && isProbeCall(recv)) return;
      ctx.report(callee.name, `Error swallowed: the .catch() handler ${describe(trivial)}`);
    },
  },
});

function describe(t: Trivial): string {
  if (t.kind === 'empty') return 'is empty';
  if (t.kind === 'returns') return t.text === '' ? 'only returns' : `only returns ${t.text}`;
  return `only sets ${t.text}`;
}

/** Empty, or only `return <default>;` / `x = <default>;` statements that do not use the error. */
function trivialBody(statements: ts.NodeArray<ts.Statement>, errName: string | undefined, sf: ts.SourceFile): Trivial | undefined {
  const real = statements.filter((s) => !ts.isEmptyStatement(s));
  if (real.length === 0) return { kind: 'empty' };
  if (real.length > 3) return undefined;
  let result: Trivial | undefined;
  for (const s of real) {
    if (ts.isReturnStatement(s)) {
      const text = s.expression ? defaultText(s.expression, errName, sf) : '';
      if (text === undefined) return undefined;
      result = { kind: 'returns', text };
    } else if (ts.isExpressionStatement(s)) {
      const e = skipOuter(s.expression);
      if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
      if (!isPlainTarget(e.left, errName)) return undefined;
      const text = defaultText(e.right, errName, sf);
      // a failure flag (`ok = false`) is acted on later: the failure is not lost
      if (text === undefined || text === 'true' || text === 'false') return undefined;
      result ??= { kind: 'assigns', text: `${e.left.getText(sf)} = ${text}` };
    } else return undefined;
  }
  return result;
}

function isPlainTarget(e: ts.Expression, errName: string | undefined): boolean {
  e = skipOuter(e);
  if (ts.isIdentifier(e)) return e.text !== errName;
  if (ts.isPropertyAccessExpression(e)) return isPlainTarget(e.expression, errName);
  return e.kind === ts.SyntaxKind.ThisKeyword;
}

/** The text of a default value (literal, empty collection, constant, `void 0`) that does not involve the error, else undefined. */
function defaultText(expr: ts.Expression, errName: string | undefined, sf: ts.SourceFile): string | undefined {
  if (!isDefaultValue(expr, errName, 0)) return undefined;
  const t = expr.getText(sf).replace(/\s+/g, ' ');
  return t.length > 30 ? t.slice(0, 29) + '…' : t;
}

function isDefaultValue(expr: ts.Expression, errName: string | undefined, depth: number): boolean {
  if (depth > 4) return false;
  const e = skipOuter(expr);
  switch (e.kind) {
    case ts.SyntaxKind.NullKeyword: case ts.SyntaxKind.TrueKeyword: case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NumericLiteral: case ts.SyntaxKind.StringLiteral: case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.BigIntLiteral: case ts.SyntaxKind.ThisKeyword:
      return true;
    case ts.SyntaxKind.Identifier:
      return (e as ts.Identifier).text !== errName;
    case ts.SyntaxKind.PropertyAccessExpression:
      return isPlainTarget(e, errName);
    case ts.SyntaxKind.VoidExpression:
      return ts.isLiteralExpression(skipOuter((e as ts.VoidExpression).expression));
    case ts.SyntaxKind.PrefixUnaryExpression:
      return ts.isNumericLiteral((e as ts.PrefixUnaryExpression).operand);
    case ts.SyntaxKind.ArrayLiteralExpression:
      return (e as ts.ArrayLiteralExpression).elements.every((el) => !ts.isSpreadElement(el) && isDefaultValue(el, errName, depth + 1));
    case ts.SyntaxKind.ObjectLiteralExpression:
      return (e as ts.ObjectLiteralExpression).properties.every((p) =>
        (ts.isPropertyAssignment(p) && !ts.isComputedPropertyName(p.name) && isDefaultValue(p.initializer, errName, depth + 1)) ||
        (ts.isShorthandPropertyAssignment(p) && p.name.text !== errName));
    case ts.SyntaxKind.NewExpression: {
      const n = e as ts.NewExpression;
      return ts.isIdentifier(n.expression) && ['Map', 'Set', 'Array', 'Object', 'WeakMap'].includes(n.expression.text) && !n.arguments?.length;
    }
    default:
      return false;
  }
}

/** A comment inside the block that explains the silence (not a TODO). */
function hasExplanation(block: ts.Block, sf: ts.SourceFile): boolean {
  const text = sf.text;
  const seen = new Set<number>();
  const ranges: ts.CommentRange[] = [];
  const add = (rs: ts.CommentRange[] | undefined) => { for (const r of rs ?? []) if (!seen.has(r.pos)) { seen.add(r.pos); ranges.push(r); } };
  const open = block.getStart(sf) + 1;
  add(ts.getTrailingCommentRanges(text, open));
  add(ts.getLeadingCommentRanges(text, open));
  for (const s of block.statements) { add(ts.getLeadingCommentRanges(text, s.pos)); add(ts.getTrailingCommentRanges(text, s.end)); }
  add(ts.getLeadingCommentRanges(text, block.statements.end));
  return ranges.some((r) => {
    if (r.pos < open || r.end > block.getEnd()) return false;
    const body = text.slice(r.pos, r.end).replace(/^\/\/|^\/\*|\*\/$/g, '').trim();
    return /\w/.test(body) && !/^(todo|fixme|xxx)\b/i.test(body);
  });
}

function calleeName(call: ts.CallExpression | ts.NewExpression): string | undefined {
  const c = call.expression;
  if (ts.isIdentifier(c)) return c.text;
  if (c.kind === ts.SyntaxKind.ImportKeyword) return 'require';
  return memberName(c);
}

function isProbeCall(call: ts.CallExpression): boolean {
  const name = calleeName(call);
  return name !== undefined && PROBE_CALLS.has(name);
}

/** Does the try block only probe (load optional modules, parse input, check files, close things), or call nothing at all? */
function isProbe(block: ts.Block): boolean {
  let other = 0;
  const visit = (n: ts.Node): void => {
    if (other) return;
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isCallExpression(n)) {
      const name = calleeName(n);
      if (name === undefined || (!PROBE_CALLS.has(name) && !HARMLESS_CALLS.has(name))) other++;
    } else if (ts.isNewExpression(n)) {
      const name = calleeName(n);
      if (name === undefined || !PROBE_NEW.has(name)) other++;
    } else if (ts.isAwaitExpression(n) && !ts.isCallExpression(skipOuter(n.expression))) other++;
    else if (ts.isThrowStatement(n)) other++;
    ts.forEachChild(n, visit);
  };
  visit(block);
  return other === 0;
}

/** `try { …; return true } catch { return false }`: the exception is the predicate's answer. */
function isBooleanPredicate(block: ts.Block, trivial: Trivial): boolean {
  if (trivial.kind !== 'returns' || (trivial.text !== 'false' && trivial.text !== 'true')) return false;
  const last = block.statements[block.statements.length - 1];
  if (!last || !ts.isReturnStatement(last) || !last.expression) return false;
  const k = skipOuter(last.expression).kind;
  return (k === ts.SyntaxKind.TrueKeyword || k === ts.SyntaxKind.FalseKeyword) && last.expression.getText() !== trivial.text;
}

/** A nested try in a `catch` or `finally` of the same function: a secondary failure while an error is already handled, or best-effort cleanup. */
function insideErrorHandling(tryStmt: ts.TryStatement): boolean {
  let child: ts.Node = tryStmt;
  for (let n = tryStmt.parent; n; child = n, n = n.parent) {
    if (isFunctionLike(n) || ts.isSourceFile(n)) return false;
    if (ts.isCatchClause(n)) return true;
    if (ts.isTryStatement(n) && child === n.finallyBlock) return true;
  }
  return false;
}

const TOLERANT_NAME = /^(safe|try|maybe|attempt|optional|silent|quiet|ignore)([A-Z_]|$)|(OrNull|OrUndefined|OrDefault|Safe|Safely|Silently|Quietly)$/;
const PREDICATE_NAME = /^(is|has|can|should|exists|supports)([A-Z_]|$)/;

/** The enclosing function says failure is tolerated (`safeStat`, `tryParse`, `readOrNull`), or is a predicate answering false. */
function toleratesFailure(node: ts.Node, trivial: Trivial): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (!isFunctionLike(n)) continue;
    let name: string | undefined;
    if (n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) name = n.name.text;
    else if (ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) name = n.parent.name.text;
    else if (ts.isPropertyAssignment(n.parent) && ts.isIdentifier(n.parent.name)) name = n.parent.name.text;
    if (!name) return false;
    if (TOLERANT_NAME.test(name)) return true;
    return PREDICATE_NAME.test(name) && trivial.kind === 'returns' && (trivial.text === 'false' || trivial.text === 'true');
  }
  return false;
}

/** `noop`, `_.noop`, `lodash/noop`, or a project function with an empty body. */
function isNoop(handler: ts.Expression, ctx: RuleContext): boolean {
  const name = ts.isIdentifier(handler) ? handler.text : memberName(handler);
  if (name && NOOP_NAMES.has(name)) return true;
  if (!ts.isIdentifier(handler)) return false;
  for (const { fn } of ctx.linker.functionsOf(handler, ctx.file)) {
    if (fn.body && ts.isBlock(fn.body) && fn.body.statements.length === 0 && fn.parameters.length <= 1) return true;
  }
  return false;
}
