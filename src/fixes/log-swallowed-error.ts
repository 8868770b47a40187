/**
 * Makes a swallowed error visible without changing what the code returns: the catch gets a
 * binding when it has none (`catch (err)`), and its first statement logs the error with the
 * project's pino logger — `logger.error({ err }, '<what failed>')` for an empty catch,
 * `logger.warn(…)` when it falls back to a default (the existing return/assignment stays). A
 * promise `.catch(() => x)` handler gets the same inside the callback (an expression body becomes
 * `{ logger.warn(…); return x; }`; `.catch(noop)` becomes a logging callback).
 * Safety: suggestion (the program writes a log line it did not write before).
 */
import { ts, skipOuter, isFunctionLike } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import type { FileEdit } from './edit';
import { defineFix } from './fix';
import { FixNotApplicable } from './module';
import { calleeText, declaredLocally, findingSpan, projectLogger } from './locate';
import { lineIndent, quote, type CodeStyle } from './style';

export default defineFix({
  id: 'log-swallowed-error',
  for: ['swallowed-error'],
  safety: 'suggestion',
  title: () => 'Log the caught error',
  edits(ctx) {
    const { file, style, finding } = ctx;
    const { start } = findingSpan(file, finding);
    const sf = file.sf;
    let clause: ts.CatchClause | undefined;
    let catchName: ts.Identifier | undefined;
    const visit = (n: ts.Node): void => {
      if (clause || catchName || n.getEnd() < start || n.pos > start) return;
      if (ts.isCatchClause(n) && n.getStart(sf) === start) { clause = n; return; }
      if (ts.isIdentifier(n) && n.text === 'catch' && n.getStart(sf) === start && ts.isPropertyAccessExpression(n.parent) && n.parent.name === n) { catchName = n; return; }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    if (clause) return catchClauseEdits(ctx.file, clause, style, (at) => projectLogger(ctx, at));
    if (catchName) return promiseCatchEdits(ctx.file, catchName.parent as ts.PropertyAccessExpression, style, (at) => projectLogger(ctx, at));
    return undefined;
  },
});

type LoggerAt = (at: ts.Node) => string;

function catchClauseEdits(file: ProjectFile, clause: ts.CatchClause, style: CodeStyle, loggerAt: LoggerAt): FileEdit[] {
  const sf = file.sf;
  const edits: FileEdit[] = [];
  let name: string;
  const decl = clause.variableDeclaration;
  if (decl) {
    if (!ts.isIdentifier(decl.name)) throw new FixNotApplicable('the catch destructures the error');
    name = decl.name.text;
  } else {
    name = errorName(clause.block);
    const at = clause.getStart(sf) + 'catch'.length;
    edits.push({ file: file.abs, start: at, end: at, newText: ` (${name})` });
  }
  const logger = loggerAt(clause.block);
  const what = describeTry(clause.parent);
  const level = clause.block.statements.length ? 'warn' : 'error';
  const stmt = logStatement(logger, level, name, what, style);
  edits.push(insertFirst(file, clause.block, stmt, style));
  return edits;
}

function promiseCatchEdits(file: ProjectFile, callee: ts.PropertyAccessExpression, style: CodeStyle, loggerAt: LoggerAt): FileEdit[] {
  const sf = file.sf;
  const call = callee.parent;
  if (!ts.isCallExpression(call) || call.expression !== callee || call.arguments.length !== 1) return [];
  const handler = skipOuter(call.arguments[0]);
  const recv = skipOuter(callee.expression);
  const what = ts.isCallExpression(recv) || ts.isNewExpression(recv) ? calleeText(recv, sf) ?? 'the operation' : recv.getText(sf).replace(/\s+/g, ' ').slice(0, 40);
  const logger = loggerAt(call);
  if (!ts.isArrowFunction(handler) && !ts.isFunctionExpression(handler)) {
    // .catch(noop): a callback that logs instead
    const stmt = logStatement(logger, 'error', 'err', what, style);
    return [{ file: file.abs, start: call.arguments[0].getStart(sf), end: call.arguments[0].getEnd(), newText: `(err) => { ${stmt} }` }];
  }
  const edits: FileEdit[] = [];
  const p = handler.parameters[0];
  let name: string;
  if (p) {
    if (!ts.isIdentifier(p.name)) throw new FixNotApplicable('the handler destructures the error');
    name = p.name.text;
  } else {
    name = errorName(handler.body);
    const open = sf.text.indexOf('(', handler.getStart(sf));
    if (open < 0 || open > handler.body.getStart(sf)) throw new FixNotApplicable('the handler has no parameter list');
    edits.push({ file: file.abs, start: open + 1, end: open + 1, newText: name });
  }
  const body = handler.body;
  if (ts.isBlock(body)) {
    const level = body.statements.length ? 'warn' : 'error';
    edits.push(insertFirst(file, body, logStatement(logger, level, name, what, style), style));
    return edits;
  }
  // an expression body: `() => null` → `(err) => { logger.warn(…); return null; }`
  const stmt = logStatement(logger, 'warn', name, what, style);
  const semi = style.semi ? ';' : '';
  edits.push({ file: file.abs, start: body.getStart(sf), end: body.getEnd(), newText: `{ ${stmt} return ${body.getText(sf)}${semi} }` });
  return edits;
}

/** `err`, unless the code already uses that name there. */
function errorName(scope: ts.Node): string {
  const text = scope.getText();
  for (const n of ['err', 'error', 'caughtError']) {
    if (!new RegExp(`(^|[^\\w$.])${n}($|[^\\w$])`).test(text) && !declaredLocally(scope, n)) return n;
  }
  throw new FixNotApplicable('no free name for the error');
}

function logStatement(logger: string, level: string, name: string, what: string, style: CodeStyle): string {
  const fields = name === 'err' ? '{ err }' : `{ err: ${name} }`;
  return `${logger}.${level}(${fields}, ${quote(`${what} failed`, style)})${style.semi ? ';' : ''}`;
}

/** What the try block does, for the message: its first call (`db.users.findOne`), else the function's name. */
function describeTry(tryStmt: ts.TryStatement): string {
  let found: string | undefined;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n) || ts.isClassLike(n)) return;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n))) {
      const t = calleeText(n, tryStmt.getSourceFile());
      if (t) { found = t; return; }
    }
    ts.forEachChild(n, visit);
  };
  visit(tryStmt.tryBlock);
  if (found) return found;
  for (let n: ts.Node | undefined = tryStmt.parent; n; n = n.parent) {
    if (!isFunctionLike(n)) continue;
    if (n.name && ts.isIdentifier(n.name)) return n.name.text;
    if (ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) return n.parent.name.text;
    break;
  }
  return 'the operation';
}

/** Inserts a statement as the first of a block: on its own line in a multi-line block, inline in a one-line block. */
function insertFirst(file: ProjectFile, block: ts.Block, stmt: string, style: CodeStyle): FileEdit {
  const sf = file.sf;
  const open = block.getStart(sf) + 1;
  const close = block.getEnd() - 1;
  const inside = sf.text.slice(open, close);
  if (!inside.includes('\n')) {
    const first = block.statements[0];
    if (!first) return { file: file.abs, start: open, end: close, newText: ` ${stmt} ` };
    return { file: file.abs, start: open, end: first.getStart(sf), newText: ` ${stmt} ` };
  }
  const first = block.statements[0];
  const firstOnOwnLine = first && sf.text.slice(open, first.getStart(sf)).includes('\n');
  const indent = firstOnOwnLine ? lineIndent(sf.text, first.getStart(sf)) : lineIndent(sf.text, close) + style.indent;
  // keep a trailing comment on the `{` line where it is
  const lineEnd = sf.text.indexOf('\n', open);
  const at = /^[ \t]*(\/\/.*|\/\*.*\*\/[ \t]*)?\r?$/.test(sf.text.slice(open, lineEnd)) ? (sf.text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd) : open;
  return { file: file.abs, start: at, end: at, newText: style.eol + indent + stmt };
}
