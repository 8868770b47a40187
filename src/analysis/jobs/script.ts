/**
 * Batch entry points: a file that, when run, calls its main function at module level.
 *
 * Where: files under a script folder (`scripts/`, `jobs/`, `bin/`, `cron/`, `tasks/`,
 * `batch/`, `seeds/`, … at any depth: `src/scripts/x.ts` too) or named like one
 * (`cleanup.job.ts`, `sync-cron.ts`, `seed.ts`); anywhere else, a `main()`/`run()` that exits the
 * process when done (`.then(() => process.exit(0))`, `.finally(() => process.exit())`, or
 * `process.exit(0)` ending main) — long-running consumers (`run().catch(…exit(1))`) are not.
 * What: a module-level call of a project function — `main()`, `void main()`, `await main()`,
 * `main().catch(…)` / `.then(…)` / `.finally(…)`, inside `if (require.main === module)` or an
 * `import.meta` guard — or an IIFE. `main`/`run` win when there are several calls.
 * Not: files that only export, files that start a server (`listen`, `createServer`,
 * `NestFactory`), and files other project files import (a module, not an entry point) unless the
 * call is guarded by `require.main === module` / `import.meta`.
 * Line: the called function's name (the IIFE's start). Name: the file's base name (`index` → its
 * folder). Handler: the main function (coverage followed into other files).
 */
import path from 'node:path';
import { ts, skipOuter, isFunctionLike } from '../ts';
import type { JobDraft, JobHelpers, JobRecognizer } from './types';
import type { Project, ProjectFile } from '../project';

const SCRIPT_DIRS = new Set(['scripts', 'script', 'jobs', 'job', 'bin', 'cron', 'crons', 'cronjobs', 'tasks', 'batch', 'batches', 'seeds', 'seeders', 'seed']);
const SCRIPT_NAME = /(^|[.\-_])(job|jobs|cron|cronjob|task|script|batch|seed)$/i;
const PREFERRED = /^(main|run)$/;

interface EntryCall { call: ts.CallExpression; statement: ts.Expression; nameNode: ts.Node; guarded: boolean; fn?: { fn: ts.FunctionLikeDeclaration; file: ProjectFile } }

const script: JobRecognizer = {
  kind: 'script',
  collect(project, helpers) {
    const out: JobDraft[] = [];
    const candidates: Array<{ file: ProjectFile; entry: EntryCall }> = [];
    for (const file of project.files.values()) {
      const inScriptPlace = isScriptPath(file.rel);
      // elsewhere: `main().then(() => process.exit(0))` — runs once, then exits — is a batch entry too
      if (!inScriptPlace && !(file.sf.text.includes('process.exit') && (file.callsByName.has('main') || file.callsByName.has('run')))) continue;
      if (startsServer(file)) continue;
      const entry = entryCall(file, helpers);
      if (!entry) continue;
      if (!inScriptPlace && !(ts.isIdentifier(entry.nameNode) && PREFERRED.test(entry.nameNode.text) && exitsWhenDone(entry, file))) continue;
      candidates.push({ file, entry });
    }
    if (candidates.length === 0) return out;
    const imported = importedFiles(project);
    for (const { file, entry } of candidates) {
      if (!entry.guarded && imported.has(file)) continue;
      const draft: JobDraft = { kind: 'script', file, nameNode: entry.nameNode, name: scriptName(file.rel) };
      if (entry.fn && entry.fn.file === file) draft.handler = entry.fn.fn;
      else if (entry.fn) {
        const d = helpers.instr.ofFunction(entry.fn.fn, entry.fn.file);
        if (d) draft.coverage = { kind: 'handler', by: `${d} in ${entry.fn.file.rel}` };
      }
      out.push(draft);
    }
    return out;
  },
};

export function isScriptPath(rel: string): boolean {
  const parts = rel.split('/');
  const base = parts[parts.length - 1].replace(/\.[cm]?[jt]sx?$/, '');
  if (parts.slice(0, -1).some((d) => SCRIPT_DIRS.has(d))) return true;
  return SCRIPT_NAME.test(base);
}

/** `bin/server.ts` that listens is the server's entry point, not a batch script. */
function startsServer(file: ProjectFile): boolean {
  if (file.callsByName.has('listen') || file.callsByName.has('createServer')) return true;
  return /\bNestFactory\b/.test(file.sf.text);
}

function scriptName(rel: string): string {
  const base = path.posix.basename(rel).replace(/\.[cm]?[jt]sx?$/, '');
  if (base === 'index') {
    const dir = path.posix.basename(path.posix.dirname(rel));
    return dir && dir !== '.' ? dir : base;
  }
  return base;
}

/** The module-level call that runs the script, if there is one. */
function entryCall(file: ProjectFile, helpers: JobHelpers): EntryCall | undefined {
  const found: EntryCall[] = [];
  const visitStatement = (s: ts.Statement, guarded: boolean): void => {
    if (ts.isExpressionStatement(s)) {
      const c = entryOf(s.expression);
      if (!c) return;
      const callee = skipOuter(c.expression);
      if (isFunctionLike(callee)) { found.push({ call: c, statement: s.expression, nameNode: c, guarded, fn: { fn: callee, file } }); return; }
      if (!ts.isIdentifier(callee)) return;
      const fns = helpers.linker.functionsOf(callee, file);
      if (fns.length) found.push({ call: c, statement: s.expression, nameNode: callee, guarded, fn: fns[0] });
    } else if (ts.isBlock(s)) {
      for (const t of s.statements) visitStatement(t, guarded);
    } else if (ts.isIfStatement(s)) {
      const g = guarded || /\brequire\.main\b|\bimport\.meta\b/.test(s.expression.getText(file.sf));
      visitStatement(s.thenStatement, g);
    } else if (ts.isTryStatement(s)) {
      for (const t of s.tryBlock.statements) visitStatement(t, guarded);
    }
  };
  for (const s of file.sf.statements) visitStatement(s, false);
  if (found.length === 0) return undefined;
  return found.find((f) => ts.isIdentifier(f.nameNode) && PREFERRED.test(f.nameNode.text)) ?? found[0];
}

/** Does the entry exit when it is done: `.then(() => process.exit(0))`, `.finally(() => process.exit())`, `process.exit(0)` closing main? */
function exitsWhenDone(entry: EntryCall, file: ProjectFile): boolean {
  const isSuccessExit = (n: ts.Node, intoFunctions = true): boolean => {
    let found = false;
    const visit = (x: ts.Node): void => {
      if (found || (!intoFunctions && isFunctionLike(x))) return;
      if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === 'exit' &&
        ts.isIdentifier(x.expression.expression) && x.expression.expression.text === 'process') {
        const a = x.arguments[0];
        if (!a || (ts.isNumericLiteral(a) && a.text === '0')) { found = true; return; }
      }
      ts.forEachChild(x, visit);
    };
    visit(n);
    return found;
  };
  // the chain: main().then(cb).finally(cb)
  for (let e: ts.Node = entry.call; e.parent && e !== entry.statement; e = e.parent) {
    const p = e.parent;
    if (ts.isPropertyAccessExpression(p) && (p.name.text === 'then' || p.name.text === 'finally') && ts.isCallExpression(p.parent) && p.parent.arguments.some((a) => isSuccessExit(a))) return true;
  }
  // main's own body ends the process (direct statements only, not callbacks such as signal handlers)
  const fn = entry.fn?.fn;
  if (fn?.body && ts.isBlock(fn.body) && entry.fn!.file === file) {
    for (const st of fn.body.statements) if (ts.isExpressionStatement(st) && isSuccessExit(st, false)) return true;
  }
  // await main(); process.exit(0);
  return file.sf.statements.some((st) => ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && isSuccessExit(st, false));
}

/** `main()`, `void main()`, `await main()`, `main().catch(…).finally(…)` → the `main()` call. */
function entryOf(expr: ts.Expression): ts.CallExpression | undefined {
  let e = skipOuter(expr);
  if (ts.isVoidExpression(e)) e = skipOuter(e.expression);
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.EqualsToken) e = skipOuter(e.right); // process.exitCode = await main()
  while (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ['catch', 'then', 'finally'].includes(e.expression.name.text)) {
    e = skipOuter(e.expression.expression);
  }
  return ts.isCallExpression(e) ? e : undefined;
}

/** Project files some other project file imports or requires. */
function importedFiles(project: Project): Set<ProjectFile> {
  const out = new Set<ProjectFile>();
  for (const f of project.files.values()) {
    for (const m of f.importedModules) {
      const t = project.resolveModule(m, f.abs);
      if (t && t !== f) out.add(t);
    }
  }
  return out;
}

export default script;
