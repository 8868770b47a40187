/**
 * A small must-release analysis over one function's statements: is a resource (a span, a timer, a
 * lock) released on every path from where it is created to where the function exits? It walks
 * the syntax tree in execution order with a one-bit state ("may still be open"), merging at
 * joins: `if`/`else`, `switch`, loops (zero or more iterations; `while (true)` only exits through
 * `break`), `try`/`catch`/`finally`, `return`, `throw`, `break`, `continue`.
 *
 * Exceptions: explicit `throw`s are followed (into a `catch` of the same function, through a
 * `finally`); an implicit exception from a call is followed only into a `catch` of the same
 * function (the code expects it to fail there), never out of the function — a span is not
 * reported just because a call between start and end might throw.
 *
 *   findLeaks({ body: fn.body.statements, creation: startCall, releases: (n) => endsSpan(n) })
 *   → [{ kind: 'return', node: <return statement> }]
 */
import { ts, isFunctionLike, skipOuter } from './ts';

export interface ResourceFlow {
  /** The statements to analyse: a function body (or a file's statements). */
  body: readonly ts.Statement[];
  /** The node that creates the resource; omitted = open on entry (a callback's parameter). */
  creation?: ts.Node;
  /** Does executing this subtree release the resource? (evaluated on statements and expressions) */
  releases(node: ts.Node): boolean;
  /** For a condition: 'present' when it is true only if the resource exists (`if (span)`), 'absent' for `if (!span)`. */
  guard?(cond: ts.Expression): 'present' | 'absent' | undefined;
}

export type LeakKind = 'return' | 'throw' | 'continue' | 'break' | 'iteration' | 'end';
export interface Leak {
  kind: LeakKind;
  /** The exiting statement; for 'end' and 'iteration', the last statement (undefined for an empty body). */
  node: ts.Node | undefined;
  /** The catch clause the open path went through, when it did. */
  via?: ts.CatchClause;
}

/** `null` = unreachable. */
type State = { open: boolean; via?: ts.CatchClause } | null;

type Frame =
  | { kind: 'try'; node: ts.TryStatement; inTry: boolean; finallyReleases: boolean; catchEntries: State[] }
  | { kind: 'loop'; node: ts.Statement; breaks: State[]; continues: State[] }
  | { kind: 'switch'; breaks: State[] };

const CLOSED: State = { open: false };

function merge(...states: State[]): State {
  let out: State = null;
  for (const s of states) {
    if (!s) continue;
    if (!out) out = s;
    else if (s.open && !out.open) out = s;
  }
  return out;
}

export function findLeaks(flow: ResourceFlow): Leak[] {
  return new Walker(flow).run();
}

class Walker {
  private readonly leaks: Leak[] = [];
  private readonly frames: Frame[] = [];
  private muted = 0;

  constructor(private readonly flow: ResourceFlow) {}

  run(): Leak[] {
    const end = this.list(this.flow.body, this.flow.creation ? CLOSED : { open: true });
    if (end?.open) this.leak({ kind: 'end', node: this.flow.body[this.flow.body.length - 1], via: end.via });
    return this.leaks;
  }

  private leak(l: Leak): void {
    if (!this.muted) this.leaks.push(l);
  }

  private contains(node: ts.Node, inner: ts.Node | undefined): boolean {
    return !!inner && inner.pos >= node.pos && inner.end <= node.end && inner.getSourceFile() === node.getSourceFile();
  }

  private list(stmts: readonly ts.Statement[], s: State): State {
    for (const st of stmts) {
      if (!s) return null;
      s = this.stmt(st, s);
    }
    return s;
  }

  /** Before a statement that may throw inside a `try` with a `catch`: the catch may be entered with this state. */
  private mayThrow(node: ts.Node, s: State): void {
    const frame = this.innermostCatchingTry();
    if (!frame || !s) return;
    if (containsThrowingExpression(node)) frame.catchEntries.push(s);
  }

  private innermostCatchingTry(): Extract<Frame, { kind: 'try' }> | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f.kind === 'try' && f.inTry && f.node.catchClause) return f;
    }
    return undefined;
  }

  /** A simple statement or expression: creates, releases, or neither. */
  private simple(node: ts.Node, s: State): State {
    if (!s) return s;
    this.mayThrow(node, s);
    if (this.flow.creation && this.contains(node, this.flow.creation)) return { open: !this.flow.releases(node) };
    if (s.open && this.flow.releases(node)) return CLOSED;
    return s;
  }

  private finallyCovers(stopAt?: Frame): boolean {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i];
      if (f === stopAt) return false;
      if (f.kind === 'try' && f.finallyReleases) return true;
    }
    return false;
  }

  private stmt(st: ts.Statement, s: State): State {
    if (!s) return null;
    switch (st.kind) {
      case ts.SyntaxKind.Block:
        return this.list((st as ts.Block).statements, s);
      case ts.SyntaxKind.ReturnStatement: {
        const r = st as ts.ReturnStatement;
        const after = r.expression ? this.simple(r.expression, s) : s;
        if (after?.open && !this.finallyCovers()) this.leak({ kind: 'return', node: st, via: after.via });
        return null;
      }
      case ts.SyntaxKind.ThrowStatement: {
        const after = this.simple((st as ts.ThrowStatement).expression, s);
        if (!after) return null;
        // delivered to the innermost catch of this function, through any finally on the way
        let open = after.open;
        for (let i = this.frames.length - 1; i >= 0; i--) {
          const f = this.frames[i];
          if (f.kind !== 'try') continue;
          if (f.inTry && f.node.catchClause) { f.catchEntries.push({ open, via: after.via }); return null; }
          if (f.finallyReleases) open = false;
        }
        if (open) this.leak({ kind: 'throw', node: st, via: after.via });
        return null;
      }
      case ts.SyntaxKind.IfStatement: {
        const i = st as ts.IfStatement;
        const cond = this.simple(i.expression, s);
        if (!cond) return null;
        const g = this.flow.guard?.(skipOuter(i.expression));
        const thenIn = g === 'absent' ? CLOSED : cond;
        const elseIn = g === 'present' ? CLOSED : cond;
        const t = this.stmt(i.thenStatement, thenIn);
        const e = i.elseStatement ? this.stmt(i.elseStatement, elseIn) : elseIn;
        return merge(t, e);
      }
      case ts.SyntaxKind.TryStatement:
        return this.tryStmt(st as ts.TryStatement, s);
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement:
      case ts.SyntaxKind.ForStatement:
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement:
        return this.loop(st as ts.IterationStatement, s);
      case ts.SyntaxKind.SwitchStatement: {
        const sw = st as ts.SwitchStatement;
        const entry = this.simple(sw.expression, s);
        const frame: Frame = { kind: 'switch', breaks: [] };
        this.frames.push(frame);
        let cur: State = null;
        let hasDefault = false;
        for (const clause of sw.caseBlock.clauses) {
          if (ts.isDefaultClause(clause)) hasDefault = true;
          cur = this.list(clause.statements, merge(entry, cur));
        }
        this.frames.pop();
        return merge(cur, ...frame.breaks, hasDefault ? null : entry);
      }
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement: {
        const isBreak = st.kind === ts.SyntaxKind.BreakStatement;
        const labelled = !!(st as ts.BreakOrContinueStatement).label;
        for (let i = this.frames.length - 1; i >= 0; i--) {
          const f = this.frames[i];
          // a finally between here and the target releases on the way out
          const out = s.open && this.finallyCovers(f) ? CLOSED : s;
          if (f.kind === 'switch' && isBreak && !labelled) { f.breaks.push(out); return null; }
          if (f.kind === 'loop') {
            // leaving an iteration that created the resource without releasing it
            if (out?.open && this.contains(f.node, this.flow.creation)) {
              this.leak({ kind: isBreak ? 'break' : 'continue', node: st, via: out.via });
              (isBreak ? f.breaks : f.continues).push(CLOSED);
            } else (isBreak ? f.breaks : f.continues).push(out);
            return null;
          }
        }
        return null;
      }
      case ts.SyntaxKind.LabeledStatement:
        return this.stmt((st as ts.LabeledStatement).statement, s);
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
      case ts.SyntaxKind.EnumDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
      case ts.SyntaxKind.ImportDeclaration:
        return s;
      default:
        return this.simple(st, s);
    }
  }

  private tryStmt(t: ts.TryStatement, s: State): State {
    const finallyReleases = !!t.finallyBlock && this.alwaysReleases(t.finallyBlock);
    const frame: Extract<Frame, { kind: 'try' }> = { kind: 'try', node: t, inTry: true, finallyReleases, catchEntries: [] };
    this.frames.push(frame);
    const afterTry = this.list(t.tryBlock.statements, s);
    frame.inTry = false;
    let afterCatch: State = null;
    if (t.catchClause) {
      const entry = merge(...frame.catchEntries);
      if (entry) afterCatch = this.list(t.catchClause.block.statements, entry.open ? { open: true, via: t.catchClause } : entry);
    }
    this.frames.pop();
    const joined = merge(afterTry, afterCatch);
    if (!t.finallyBlock) return joined;
    if (!joined) {
      // the finally still runs on the abrupt paths, but nothing continues after it
      this.muted++;
      this.list(t.finallyBlock.statements, CLOSED);
      this.muted--;
      return null;
    }
    const afterFinally = this.list(t.finallyBlock.statements, joined);
    return finallyReleases ? (afterFinally ? CLOSED : null) : afterFinally;
  }

  /** Does running this block from an open state always release (or never complete)? */
  private alwaysReleases(block: ts.Block): boolean {
    const saved = this.frames.splice(0, this.frames.length);
    this.muted++;
    const out = this.list(block.statements, { open: true });
    this.muted--;
    this.frames.push(...saved);
    return !out?.open;
  }

  private loop(l: ts.IterationStatement, s: State): State {
    let entry = s;
    if (ts.isForStatement(l) && l.initializer) entry = this.simple(l.initializer, entry);
    if ((ts.isForOfStatement(l) || ts.isForInStatement(l))) entry = this.simple(l.expression, entry);
    const cond = ts.isWhileStatement(l) || ts.isDoStatement(l) ? l.expression : ts.isForStatement(l) ? l.condition : undefined;
    const infinite = (ts.isWhileStatement(l) || ts.isForStatement(l) || ts.isDoStatement(l)) && (!cond || skipOuter(cond).kind === ts.SyntaxKind.TrueKeyword);
    if (cond && !ts.isDoStatement(l)) entry = this.simple(cond, entry);
    const frame: Extract<Frame, { kind: 'loop' }> = { kind: 'loop', node: l, breaks: [], continues: [] };
    this.frames.push(frame);
    const body = this.stmt(l.statement, entry);
    this.frames.pop();
    // a resource created in the body and still open when the iteration ends leaks (the next one replaces it)
    if (body?.open && this.contains(l.statement, this.flow.creation) && !this.finallyCovers()) {
      const last = ts.isBlock(l.statement) ? l.statement.statements[l.statement.statements.length - 1] : l.statement;
      this.leak({ kind: 'iteration', node: last, via: body.via });
    }
    const iterEnd = merge(body, ...frame.continues);
    if (ts.isDoStatement(l)) return infinite ? merge(...frame.breaks) : merge(iterEnd, ...frame.breaks);
    if (infinite) return merge(...frame.breaks);
    return merge(entry, iterEnd, ...frame.breaks);
  }
}

/** Could evaluating this node throw (a call, `new`, `await`, `throw`), not counting nested functions? */
function containsThrowingExpression(node: ts.Node): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found || isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isAwaitExpression(n) || ts.isThrowStatement(n)) { found = true; return; }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}
