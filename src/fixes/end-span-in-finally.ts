/**
 * Ends a span on every path: the code after `const span = tracer.startSpan(…)` (to the end of its
 * block) is wrapped in `try { … } finally { span.end(); }`, and a `startActiveSpan` callback's
 * body likewise (an expression body becomes a block; a callback without a parameter gets `span`).
 * When that code is a single `try` already, it gets the `finally` (or its `finally` gets the
 * `span.end()`) instead of another level of nesting. `span.end()` calls that become redundant are
 * removed only where nothing else runs between them and the `finally` (the last statement, or
 * right before a `return`/`throw`); in async functions `return x` becomes `return await x` so the
 * span covers the awaited work.
 * Safety: safe (the same code runs; the span is now always ended and exported).
 */
import { ts, skipOuter, isFunctionLike } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import type { FileEdit } from './edit';
import { defineFix } from './fix';
import { FixNotApplicable } from './module';
import { findingNode, reindent } from './locate';
import { lineIndent, type CodeStyle } from './style';

const END_METHODS = new Set(['end', 'finish']);

export default defineFix({
  id: 'end-span-in-finally',
  for: ['span-not-ended'],
  safety: 'safe',
  title: () => 'End the span in a finally block',
  edits(ctx) {
    const { file, style, finding } = ctx;
    const sf = file.sf;
    const name = findingNode(file, finding, (n): n is ts.Identifier => ts.isIdentifier(n) && ts.isPropertyAccessExpression(n.parent) && n.parent.name === n);
    if (!name) return undefined;
    const call = name.parent.parent;
    if (!ts.isCallExpression(call) || call.expression !== name.parent) return undefined;
    const method = name.text;
    if (method === 'startActiveSpan' || method === 'startSpanManual') {
      const last = call.arguments[call.arguments.length - 1];
      const fn = last && skipOuter(last);
      if (!fn || (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn))) return undefined;
      const edits: FileEdit[] = [];
      let span: string;
      const p = fn.parameters[0];
      if (p) {
        if (!ts.isIdentifier(p.name)) throw new FixNotApplicable('the callback destructures the span');
        span = p.name.text;
      } else {
        span = 'span';
        if (new RegExp(`\\b${span}\\b`).test(fn.getText(sf))) throw new FixNotApplicable("the callback already uses the name 'span'");
        const open = sf.text.indexOf('(', fn.getStart(sf));
        if (open < 0 || open > fn.body.getStart(sf)) throw new FixNotApplicable('the callback has no parameter list');
        edits.push({ file: file.abs, start: open + 1, end: open + 1, newText: span });
      }
      const isAsync = !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
      if (ts.isBlock(fn.body)) {
        const body = fn.body;
        if (!body.statements.length) return [...edits, insertLast(file, body, `${span}.end()${style.semi ? ';' : ''}`, style)];
        return [...edits, ...wrapRegion(file, style, body, body.statements, span, isAsync)];
      }
      // (span) => expr   →   (span) => { try { return expr; } finally { span.end(); } }
      const indent = lineIndent(sf.text, call.getStart(sf));
      const i1 = indent + style.indent, i2 = i1 + style.indent;
      const semi = style.semi ? ';' : '';
      const expr = fn.body;
      let start = expr.getStart(sf), end = expr.getEnd();
      if (sf.text[start - 1] === '(' && sf.text[end] === ')') { start--; end++; }
      const value = returnValue(sf.text.slice(start, end), skipOuter(expr), isAsync);
      const eol = style.eol;
      edits.push({ file: file.abs, start, end, newText: `{${eol}${i1}try {${eol}${i2}return ${value}${semi}${eol}${i1}} finally {${eol}${i2}${span}.end()${semi}${eol}${i1}}${eol}${indent}}` });
      return edits;
    }
    // const span = tracer.startSpan(…);
    let use: ts.Node = call;
    while (ts.isParenthesizedExpression(use.parent) || ts.isAsExpression(use.parent) || ts.isNonNullExpression(use.parent) || ts.isSatisfiesExpression(use.parent)) use = use.parent;
    const decl = use.parent;
    if (!ts.isVariableDeclaration(decl) || decl.initializer !== use || !ts.isIdentifier(decl.name)) throw new FixNotApplicable('the span is not kept in a variable');
    const stmt = decl.parent.parent;
    if (!ts.isVariableStatement(stmt) || !ts.isBlock(stmt.parent)) throw new FixNotApplicable('the span is not started in a block');
    const block = stmt.parent;
    const region = block.statements.slice(block.statements.indexOf(stmt) + 1);
    const span = decl.name.text;
    if (!region.length) {
      const at = stmt.getEnd();
      return [{ file: file.abs, start: at, end: at, newText: `${style.eol}${lineIndent(sf.text, stmt.getStart(sf))}${span}.end()${style.semi ? ';' : ''}` }];
    }
    const fn = enclosingFunction(block);
    const isAsync = !!fn && !!ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    return wrapRegion(file, style, block, region, span, isAsync);
  },
});

function enclosingFunction(n: ts.Node): ts.FunctionLikeDeclaration | undefined {
  for (let p: ts.Node | undefined = n; p; p = p.parent) if (isFunctionLike(p)) return p;
  return undefined;
}

/** `x` → `await x` (parenthesized when needed) for values that may be promises, in async functions. */
function returnValue(text: string, expr: ts.Expression, isAsync: boolean): string {
  if (!isAsync || !mayBePromise(expr)) return text;
  const plain = ts.isCallExpression(expr) || ts.isNewExpression(expr) || ts.isParenthesizedExpression(expr);
  return plain ? `await ${text}` : `await (${text})`;
}

/** A call (or a conditional/logical choice between calls) may return a promise; plain values are left alone. */
function mayBePromise(e: ts.Expression): boolean {
  const s = skipOuter(e);
  if (ts.isAwaitExpression(e)) return false;
  if (ts.isCallExpression(s) || ts.isNewExpression(s)) return !ts.isIdentifier(s.expression) || !/^(String|Number|Boolean|Array|Object|Symbol|BigInt)$/.test(s.expression.text);
  if (ts.isConditionalExpression(s)) return mayBePromise(s.whenTrue) || mayBePromise(s.whenFalse);
  if (ts.isBinaryExpression(s) && (s.operatorToken.kind === ts.SyntaxKind.BarBarToken || s.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || s.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken)) return mayBePromise(s.left) || mayBePromise(s.right);
  return false;
}

/** `span.end();` / `span.finish();` on this span, as a statement. */
function isEndStatement(s: ts.Node, span: string): s is ts.ExpressionStatement {
  if (!ts.isExpressionStatement(s)) return false;
  const e = skipOuter(s.expression);
  if (!ts.isCallExpression(e) || e.arguments.length) return false;
  const c = e.expression;
  return ts.isPropertyAccessExpression(c) && END_METHODS.has(c.name.text) && ts.isIdentifier(skipOuter(c.expression)) && (skipOuter(c.expression) as ts.Identifier).text === span;
}

/**
 * Does control go from right after `stmt` straight to the end of the region (or leave the function
 * through a return/throw) without running other code? Then an end call there is redundant with the
 * finally.
 */
function endsRegion(stmt: ts.Statement, region: readonly ts.Statement[], regionTry: ts.TryStatement | undefined): boolean {
  let s: ts.Node = stmt;
  let caught = false;
  for (;;) {
    const p: ts.Node = s.parent;
    if (ts.isBlock(p)) {
      const i = p.statements.indexOf(s as ts.Statement);
      const next = p.statements[i + 1];
      if (next) return ts.isReturnStatement(next) || (ts.isThrowStatement(next) && !caught);
      if (p === region[0]?.parent && region.includes(s as ts.Statement)) return true;
      s = p;
      continue;
    }
    if (ts.isCaseClause(p) || ts.isDefaultClause(p)) {
      const next = p.statements[p.statements.indexOf(s as ts.Statement) + 1];
      if (next && (ts.isReturnStatement(next) || (ts.isThrowStatement(next) && !caught))) return true;
      if (!next || !ts.isBreakStatement(next) || next.label) return false;
      s = p.parent.parent; // `break` leaves the switch
      continue;
    }
    if (ts.isIfStatement(p)) { s = p; continue; }
    if (ts.isTryStatement(p)) {
      if (p.finallyBlock && p !== regionTry) return false;
      if (s === p.tryBlock && p.catchClause) caught = true;
      s = p;
      if (p === regionTry) return s === region[region.length - 1] || endsRegion(p, region, undefined);
      continue;
    }
    if (ts.isCatchClause(p)) { s = p.parent; if ((s as ts.TryStatement).finallyBlock && s !== regionTry) return false; if (s === regionTry) return endsRegion(s as ts.Statement, region, undefined); continue; }
    return false;
  }
}

/** Edits inside the region: redundant end calls removed, `return x` awaited in async functions. */
function innerEdits(file: ProjectFile, region: readonly ts.Statement[], span: string, isAsync: boolean, regionTry: ts.TryStatement | undefined): FileEdit[] {
  const sf = file.sf;
  const text = sf.text;
  const out: FileEdit[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    if (isEndStatement(n, span) && (ts.isBlock(n.parent) || ts.isCaseClause(n.parent) || ts.isDefaultClause(n.parent)) && endsRegion(n, region, regionTry)) {
      const start = n.getStart(sf), end = n.getEnd();
      const lineStart = text.lastIndexOf('\n', start - 1) + 1;
      const lineEnd = text.indexOf('\n', end);
      const alone = !text.slice(lineStart, start).trim() && !text.slice(end, lineEnd < 0 ? text.length : lineEnd).trim();
      const lastOfRegion = n === region[region.length - 1];
      if (alone && lastOfRegion && lineStart > 0) out.push({ file: file.abs, start: lineStart - (text[lineStart - 2] === '\r' ? 2 : 1), end, newText: '' });
      else if (alone && lineEnd >= 0) out.push({ file: file.abs, start: lineStart, end: lineEnd + 1, newText: '' });
      else out.push({ file: file.abs, start, end: end + (/^[ \t]*/.exec(text.slice(end))![0].length), newText: '' });
      return;
    }
    if (isAsync && ts.isReturnStatement(n) && n.expression && mayBePromise(n.expression)) {
      const e = n.expression;
      out.push({ file: file.abs, start: e.getStart(sf), end: e.getEnd(), newText: returnValue(e.getText(sf), skipOuter(e), true) });
      return;
    }
    ts.forEachChild(n, visit);
  };
  for (const s of region) visit(s);
  return out;
}

function wrapRegion(file: ProjectFile, style: CodeStyle, block: ts.Block, region: readonly ts.Statement[], span: string, isAsync: boolean): FileEdit[] {
  const sf = file.sf;
  const text = sf.text;
  const semi = style.semi ? ';' : '';
  const eol = style.eol;
  const endStmt = `${span}.end()${semi}`;
  for (const s of region) {
    if (ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) throw new FixNotApplicable(`a ${ts.isFunctionDeclaration(s) ? 'function' : 'class'} declared after the span would no longer be visible outside the try`);
  }
  // A single try: give it the finally (or add the end to its finally) instead of nesting another
  if (region.length === 1 && ts.isTryStatement(region[0])) {
    const t = region[0];
    const inner = innerEdits(file, [t], span, isAsync, t.finallyBlock ? undefined : t);
    if (t.finallyBlock) return [...inner, insertLast(file, t.finallyBlock, endStmt, style)];
    const indent = lineIndent(text, t.getStart(sf));
    const oneLine = !text.slice(t.getStart(sf), t.getEnd()).includes('\n');
    const at = t.getEnd();
    return [...inner, { file: file.abs, start: at, end: at, newText: oneLine ? ` finally { ${endStmt} }` : ` finally {${eol}${indent}${style.indent}${endStmt}${eol}${indent}}` }];
  }
  const first = region[0], last = region[region.length - 1];
  const start = first.getStart(sf);
  let end = last.getEnd();
  for (const c of ts.getTrailingCommentRanges(text, end) ?? []) if (!text.slice(end, c.pos).includes('\n')) end = c.end;
  const inner = innerEdits(file, region, span, isAsync, undefined);
  const sameLine = text.slice(block.getStart(sf), start).split('\n').length === 1;
  const indent = sameLine ? lineIndent(text, block.getStart(sf)) + style.indent : lineIndent(text, start);
  const i1 = indent + style.indent;
  const body = reindent(file, start, end, { add: style.indent, inner });
  const lead = sameLine ? eol + indent : '';
  const tail = sameLine && !text.slice(end, block.getEnd() - 1).includes('\n') ? eol + lineIndent(text, block.getStart(sf)) : '';
  return [{ file: file.abs, start, end, newText: `${lead}try {${eol}${i1}${body}${eol}${indent}} finally {${eol}${i1}${endStmt}${eol}${indent}}${tail}` }];
}

/** Adds a statement at the end of a block (its own line in a multi-line block). */
function insertLast(file: ProjectFile, block: ts.Block, stmt: string, style: CodeStyle): FileEdit {
  const sf = file.sf;
  const close = block.getEnd() - 1;
  const last = block.statements[block.statements.length - 1];
  const inside = sf.text.slice(block.getStart(sf) + 1, close);
  if (!inside.includes('\n')) {
    const at = last ? last.getEnd() : block.getStart(sf) + 1;
    return { file: file.abs, start: at, end: close, newText: ` ${stmt} ` };
  }
  const indent = last ? lineIndent(sf.text, last.getStart(sf)) : lineIndent(sf.text, close) + style.indent;
  const at = last ? last.getEnd() : block.getStart(sf) + 1;
  return { file: file.abs, start: at, end: at, newText: `${style.eol}${indent}${stmt}` };
}
