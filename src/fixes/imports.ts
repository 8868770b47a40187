/** Idempotent import edits in the file's own module style (ESM `import` or CommonJS `require`). */
import path from 'node:path';
import { ts } from '../analysis/ts';
import type { ProjectFile } from '../analysis/project';
import type { FileEdit } from './edit';
import { type CodeStyle, quote, restyle } from './style';

/** Where new top-of-file statements go: after the last import/require (or directives/leading comments). */
export function importInsertionPoint(sf: ts.SourceFile): number {
  let pos = 0;
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s) || isRequireStatement(s) || (ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression))) pos = s.getEnd();
    else break;
  }
  return pos;
}

function isRequireStatement(s: ts.Statement): boolean {
  if (!ts.isVariableStatement(s)) return false;
  return s.declarationList.declarations.every((d) => {
    let init = d.initializer;
    while (init && ts.isPropertyAccessExpression(init)) init = init.expression;
    return !!init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require';
  });
}

function requireSpec(d: ts.VariableDeclaration): string | undefined {
  const init = d.initializer;
  if (init && ts.isCallExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'require' && init.arguments[0] && ts.isStringLiteralLike(init.arguments[0])) return init.arguments[0].text;
  return undefined;
}

/** Is `name` already bound at the top level of the file (imported or declared)? */
export function topLevelBinding(sf: ts.SourceFile, name: string): boolean {
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s) && s.importClause) {
      const c = s.importClause;
      if (c.name?.text === name) return true;
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb) && nb.name.text === name) return true;
      if (nb && ts.isNamedImports(nb) && nb.elements.some((e) => e.name.text === name)) return true;
    } else if (ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.name.text === name) return true;
        if (ts.isObjectBindingPattern(d.name) && d.name.elements.some((e) => ts.isIdentifier(e.name) && e.name.text === name)) return true;
      }
    } else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s)) && s.name?.text === name) return true;
  }
  return false;
}

/**
 * Ensures `import { a, b } from 'spec'` (or `const { a, b } = require('spec')`). Names the file
 * already binds are skipped; an existing import of the same module is extended.
 */
export function ensureNamedImport(file: ProjectFile, spec: string, names: string | string[], style: CodeStyle, typeOnly = false): FileEdit[] {
  const sf = file.sf;
  const wanted = [...new Set(typeof names === 'string' ? [names] : names)].filter((n) => !topLevelBinding(sf, n));
  if (!wanted.length) return [];
  const list = wanted.map((n) => (typeOnly ? `type ${n}` : n)).join(', ');
  for (const s of sf.statements) {
    if (style.module === 'esm' && ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === spec && s.importClause && !s.importClause.isTypeOnly) {
      const nb = s.importClause.namedBindings;
      if (nb && ts.isNamedImports(nb)) {
        const last = nb.elements[nb.elements.length - 1];
        if (last) return [{ file: file.abs, start: last.getEnd(), end: last.getEnd(), newText: `, ${list}` }];
        const open = nb.getStart(sf) + 1;
        return [{ file: file.abs, start: open, end: open, newText: ` ${list} ` }];
      }
      if (!nb && s.importClause.name) {
        const end = s.importClause.name.getEnd();
        return [{ file: file.abs, start: end, end, newText: `, { ${list} }` }];
      }
    }
    if (style.module === 'cjs' && ts.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) {
        if (requireSpec(d) === spec && ts.isObjectBindingPattern(d.name)) {
          const last = d.name.elements[d.name.elements.length - 1];
          if (last) return [{ file: file.abs, start: last.getEnd(), end: last.getEnd(), newText: `, ${wanted.join(', ')}` }];
        }
      }
    }
  }
  const at = importInsertionPoint(sf);
  const stmt = style.module === 'cjs'
    ? `const { ${wanted.join(', ')} } = require(${quote(spec, style)});`
    : `import ${typeOnly ? 'type ' : ''}{ ${wanted.join(', ')} } from ${quote(spec, style)};`;
  return [{ file: file.abs, start: at, end: at, newText: (at === 0 ? '' : style.eol) + restyle(stmt, style) + (at === 0 ? style.eol : '') }];
}

/**
 * The specifier to import `target` from `from` (relative, extension as the file's own imports do
 * it; a file without relative imports follows `projectJsExt`, the project's convention).
 */
export function relativeSpecifier(from: ProjectFile, targetAbs: string, projectJsExt = false): string {
  let rel = path.relative(path.dirname(from.abs), targetAbs).split(path.sep).join('/');
  if (!rel.startsWith('.')) rel = './' + rel;
  const relative = [...from.importedModules].filter((m) => m.startsWith('.'));
  const usesJsExt = relative.length ? relative.some((m) => /\.(m|c)?js$/.test(m)) : projectJsExt;
  const withoutExt = rel.replace(/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, '');
  if (usesJsExt) return withoutExt + (/\.m[jt]s$/.test(targetAbs) ? '.mjs' : /\.c[jt]s$/.test(targetAbs) ? '.cjs' : '.js');
  return withoutExt;
}
