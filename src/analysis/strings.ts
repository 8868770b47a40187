/** Strings in code: route paths and metric names given as literals, constants or templates of constants. */
import { ts, skipOuter } from './ts';
import type { Linker } from './link';
import type { ProjectFile } from './project';

/** The string a node evaluates to (literal, const, imported const, object constant, template of those). */
export function stringOf(node: ts.Node | undefined, file: ProjectFile, linker: Linker): string | undefined {
  if (!node) return undefined;
  const v = file.valueOf(node);
  if (v.k === 'string') return v.value;
  for (const r of linker.deref(v, file)) if (r.v.k === 'string') return r.v.value;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isTemplateExpression(e)) {
    let s = e.head.text;
    for (const span of e.templateSpans) {
      const part = stringOf(span.expression, file, linker);
      if (part === undefined) return undefined;
      s += part + span.literal.text;
    }
    return s;
  }
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const l = stringOf(e.left, file, linker), r = stringOf(e.right, file, linker);
    return l !== undefined && r !== undefined ? l + r : undefined;
  }
  if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) return enumMemberString(e.expression, e.name.text, file, linker);
  return undefined;
}

/** `Routes.Users` where `Routes` is a string enum declared in this file or imported (through re-exports). */
function enumMemberString(id: ts.Identifier, member: string, file: ProjectFile, linker: Linker): string | undefined {
  let decl = file.values.declarationOf(id);
  let where = file;
  let name = id.text;
  for (let hops = 0; decl && hops < 6; hops++) {
    if (ts.isEnumDeclaration(decl)) {
      for (const m of decl.members) {
        if (m.name.getText(where.sf).replace(/^['"]|['"]$/g, '') !== member || !m.initializer) continue;
        return stringOf(m.initializer, where, linker);
      }
      return undefined;
    }
    let spec: string | undefined;
    if (ts.isImportSpecifier(decl)) {
      const mod = decl.parent.parent.parent.moduleSpecifier;
      spec = ts.isStringLiteral(mod) ? mod.text : undefined;
      name = (decl.propertyName ?? decl.name).text;
    }
    if (!spec) return undefined;
    const target = linker.resolveModuleFile(spec, where.abs);
    if (!target) return undefined;
    // an exported enum (not in the export table, which lists values), else follow re-exports
    const exportedEnum = target.sf.statements.find((x): x is ts.EnumDeclaration => ts.isEnumDeclaration(x) && x.name.text === name);
    if (exportedEnum) { decl = exportedEnum; where = target; continue; }
    let entry = target.exports().get(name);
    let owner = target;
    if (!entry) {
      for (const star of target.stars()) {
        const t = linker.resolveModuleFile(star, target.abs);
        const en = t?.sf.statements.find((x): x is ts.EnumDeclaration => ts.isEnumDeclaration(x) && x.name.text === name);
        if (t && en) { entry = { value: en, kind: 'decl' }; owner = t; break; }
        const e2 = t?.exports().get(name);
        if (t && e2) { entry = e2; owner = t; break; }
      }
    }
    if (!entry) return undefined;
    if ('reexport' in entry) {
      const t = linker.resolveModuleFile(entry.reexport, owner.abs);
      if (!t) return undefined;
      const reName = entry.name;
      const en = t.sf.statements.find((x): x is ts.EnumDeclaration => ts.isEnumDeclaration(x) && x.name.text === reName);
      const e3 = en ? { value: en as ts.Node } : t.exports().get(reName);
      if (!e3 || 'reexport' in e3) return undefined;
      decl = e3.value; where = t;
    } else {
      decl = entry.value; where = owner;
    }
    if (ts.isIdentifier(decl)) decl = where.values.declarationOf(decl);
  }
  return undefined;
}

/** A route path: a string, a regex literal shown as written, or a template with its dynamic parts as `:name`. */
export function pathOf(node: ts.Node | undefined, file: ProjectFile, linker: Linker): string | undefined {
  if (!node) return undefined;
  const s = stringOf(node, file, linker);
  if (s !== undefined) return s;
  const e = ts.isExpression(node) ? skipOuter(node) : node;
  if (ts.isRegularExpressionLiteral(e)) return e.text;
  if (ts.isTemplateExpression(e)) {
    let out = e.head.text;
    for (const span of e.templateSpans) {
      const part = stringOf(span.expression, file, linker);
      out += (part ?? `:${span.expression.getText(file.sf).replace(/[^A-Za-z0-9_]+/g, '_')}`) + span.literal.text;
    }
    return out;
  }
  return undefined;
}
