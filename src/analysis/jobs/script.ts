/**
 * Batch entry points: a file that, when run, calls its main function at module level.
 *
 * Where: files under a script folder (`scripts/`, `jobs/`, `bin/`, `cron/`, `tasks/`,
 * `batch/`, `seeds/`, … at any depth: `src/scripts/x.ts` too) or named like one
 * (`cleanup.job.ts`, `sync-cron.ts`, `seed.ts`).
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

interface EntryCall { call: ts.CallExpression; nameNode: ts.Node; guarded: boolean; fn?: { fn: ts.FunctionLikeDeclaration; file: ProjectFile } }

const script: JobRecognizer = {
  kind: 'script',
  collect(project, helpers) {
    const out: JobDraft[] = [];
    const candidates: Array<{ file: ProjectFile; entry: EntryCall }> = [];
    for (const file of project.files.values()) {
      if (!isScriptPath(file.rel) || startsServer(file)) continue;
      const entry = entryCall(file, helpers);
      if (entry) candidates.push({ file, entry });
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
      if (isFunctionLike(callee)) { found.push({ call: c, nameNode: c, guarded, fn: { fn: callee, file } }); return; }
      if (!ts.isIdentifier(callee)) return;
      const fns = helpers.linker.functionsOf(callee, file);
      if (fns.length) found.push({ call: c, nameNode: callee, guarded, fn: fns[0] });
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
