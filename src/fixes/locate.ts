/**
 * Shared helpers of the hygiene fixes: find the syntax a finding is about (by its range), pick the
 * project's logger for generated log calls, re-indent a region without touching template literal
 * text, and small naming helpers. Everything reads the tree; nothing mutates it.
 */
import { ts, isFunctionLike, skipOuter } from '../analysis/ts';
import type { Finding } from '../analysis/model';
import type { ProjectFile } from '../analysis/project';
import { matchLogCall } from '../analysis/loggers';
import { isModuleExport } from '../analysis/values';
import type { FixContext } from './fix';
import { FixNotApplicable } from './module';
import { topLevelBinding } from './imports';
import { applyEdits, type FileEdit } from './edit';

/** The finding's [start, end) offsets in its file. */
export function findingSpan(file: ProjectFile, finding: Finding): { start: number; end: number } {
  const sf = file.sf;
  const at = (line: number, column: number) => {
    const lines = sf.getLineStarts();
    if (line - 1 >= lines.length) return sf.text.length;
    return Math.min(sf.getPositionOfLineAndCharacter(line - 1, 0) + column - 1, sf.text.length);
  };
  return { start: at(finding.line, finding.column), end: at(finding.endLine, finding.endColumn) };
}

/** The node of the finding's exact range that passes `test` (the innermost such node). */
export function findingNode<T extends ts.Node>(file: ProjectFile, finding: Finding, test: (n: ts.Node) => n is T): T | undefined {
  const { start, end } = findingSpan(file, finding);
  const sf = file.sf;
  let found: T | undefined;
  const visit = (n: ts.Node): void => {
    if (n.getEnd() < start || n.pos > end) return;
    if (n.getStart(sf) === start && n.getEnd() === end && test(n)) found = n;
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** The nearest ancestor (or the node itself) passing `test`. */
export function ancestor<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T, stopAtFunction = false): T | undefined {
  for (let n: ts.Node | undefined = node; n; n = n.parent) {
    if (test(n)) return n;
    if (stopAtFunction && n !== node && isFunctionLike(n)) return undefined;
  }
  return undefined;
}

/** Is `name` declared between `at` and the top level of the file (a parameter, a local, a catch binding)? */
export function declaredLocally(at: ts.Node, name: string): boolean {
  const declares = (stmts: readonly ts.Statement[]) => stmts.some((s) =>
    (ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => bindsName(d.name, name))) ||
    ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name));
  for (let n: ts.Node | undefined = at.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (isFunctionLike(n) && n.parameters.some((p) => bindsName(p.name, name))) return true;
    if (ts.isBlock(n) && declares(n.statements)) return true;
    if (ts.isCatchClause(n) && n.variableDeclaration && bindsName(n.variableDeclaration.name, name)) return true;
    if ((ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n)) && n.initializer && ts.isVariableDeclarationList(n.initializer) &&
      n.initializer.declarations.some((d) => bindsName(d.name, name))) return true;
  }
  return false;
}

function bindsName(b: ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(b)) return b.text === name;
  return b.elements.some((e) => !ts.isOmittedExpression(e) && bindsName(e.name, name));
}

/**
 * The pino logger to write with at `at`: one this file already logs with or creates at its top
 * level, else the project's exported pino logger or the observability module's `logger`
 * (imported, and pino added to package.json, by the module).
 */
export function projectLogger(ctx: FixContext, at: ts.Node): string {
  const { file, style } = ctx;
  const linker = ctx.analyzer.linker;
  for (const mc of file.methodCalls) {
    if (!ts.isIdentifier(mc.receiver)) continue;
    const name = mc.receiver.text;
    if (!topLevelBinding(file.sf, name) || declaredLocally(at, name)) continue;
    const log = matchLogCall(mc.node, file, linker);
    if (log?.library === 'pino' && !declaredLocally(mc.node, name)) return name;
  }
  for (const s of file.sf.statements) {
    if (!ts.isVariableStatement(s)) continue;
    for (const d of s.declarationList.declarations) {
      if (!ts.isIdentifier(d.name) || !d.initializer || declaredLocally(at, d.name.text)) continue;
      const init = skipOuter(d.initializer);
      if (ts.isCallExpression(init) && isModuleExport(file.valueOf(init.expression), ['pino'], ['', 'pino', 'default'])) return d.name.text;
    }
  }
  const name = ctx.module.use('logger', file, style);
  if (declaredLocally(at, name)) throw new FixNotApplicable(`'${name}' means something else where the log call goes`);
  if (topLevelBinding(file.sf, name) && !importsName(file.sf, name)) throw new FixNotApplicable(`'${name}' is already defined in ${file.rel} and is not a pino logger`);
  return name;
}

function importsName(sf: ts.SourceFile, name: string): boolean {
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause?.namedBindings && ts.isNamedImports(s.importClause.namedBindings) &&
      s.importClause.namedBindings.elements.some((e) => e.name.text === name)) return true;
    if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer && skipOuter(d.initializer);
        if (ts.isObjectBindingPattern(d.name) && bindsName(d.name, name) && init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require') return true;
      }
    }
  }
  return false;
}

/** Offsets of line starts in [start, end) that lie inside a string or template literal (their text must not change). */
function literalLineStarts(sf: ts.SourceFile, start: number, end: number): Set<number> {
  const out = new Set<number>();
  const visit = (n: ts.Node): void => {
    if (n.getEnd() <= start || n.getStart(sf) >= end) return;
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
      const s = n.getStart(sf), e = n.getEnd();
      for (let i = sf.text.indexOf('\n', s); i >= 0 && i < e - 1; i = sf.text.indexOf('\n', i + 1)) out.add(i + 1);
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

/**
 * The text of [start, end) with `inner` edits (offsets in the file) applied and every line that
 * starts inside the range re-indented: `add` is put in front of it, or up to `remove` characters
 * of its leading whitespace are taken away. Lines inside string/template literals, blank lines and
 * lines an inner edit removes are left alone.
 */
export function reindent(file: ProjectFile, start: number, end: number, opts: { add?: string; remove?: number; inner?: FileEdit[] }): string {
  const text = file.sf.text;
  const inner = opts.inner ?? [];
  const skip = literalLineStarts(file.sf, start, end);
  const edits: FileEdit[] = inner.map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
  for (let i = text.indexOf('\n', start); i >= 0 && i + 1 < end; i = text.indexOf('\n', i + 1)) {
    const ls = i + 1;
    if (skip.has(ls) || inner.some((e) => e.start <= ls && ls < e.end)) continue;
    const lineEnd = text.indexOf('\n', ls);
    const line = text.slice(ls, lineEnd < 0 ? end : Math.min(lineEnd, end));
    if (!line.trim()) continue;
    if (opts.add) edits.push({ file: file.abs, start: ls - start, end: ls - start, newText: opts.add });
    else if (opts.remove) {
      const cut = Math.min(/^[ \t]*/.exec(line)![0].length, opts.remove);
      if (cut) edits.push({ file: file.abs, start: ls - start, end: ls - start + cut, newText: '' });
    }
  }
  return applyEdits(text.slice(start, end), edits);
}

/** `orders_created_total` → `ordersCreatedTotal`; `http.server.duration` → `httpServerDuration`. */
export function camelName(s: string): string {
  const parts = s.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const out = parts.map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1))).join('');
  return /^[A-Za-z_$]/.test(out) ? out : '_' + out;
}

/** A name that occurs nowhere in the file (so it can be introduced at any scope). */
export function unusedName(sf: ts.SourceFile, base: string): string {
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}${i + 1}`;
    if (!new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}($|[^\\w$])`).test(sf.text)) return name;
  }
}

/** Is the expression an identifier or member chain that can be repeated without side effects? */
export function isSimpleReference(e: ts.Expression): boolean {
  const s = skipOuter(e);
  if (ts.isIdentifier(s) || s.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(s)) return isSimpleReference(s.expression);
  return false;
}

/** The short, human text of a callee for messages: `db.users.findOne`, `fetch`. */
export function calleeText(call: ts.CallExpression | ts.NewExpression, sf: ts.SourceFile): string | undefined {
  let e: ts.Expression = call.expression;
  const parts: string[] = [];
  for (;;) {
    e = skipOuter(e);
    if (ts.isIdentifier(e)) { parts.unshift(e.text); break; }
    if (e.kind === ts.SyntaxKind.ThisKeyword) break;
    if (ts.isPropertyAccessExpression(e)) { parts.unshift(e.name.text); e = e.expression; continue; }
    if (ts.isCallExpression(e)) { e = e.expression; continue; }
    break;
  }
  void sf;
  return parts.length ? parts.slice(-3).join('.') : undefined;
}
