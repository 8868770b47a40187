/**
 * The project's observability module: where shared metrics, the logger and the tracer live.
 * Fixes ask for exports by name (`use('httpRequestDuration', file)`); the module reuses what the
 * project already has — a metric of the same Prometheus name (if exported and with the labels we
 * need), an exported pino logger, an exported tracer — and otherwise creates `src/observability.ts`
 * (configurable) or appends the missing sections to it. Never two metrics with one name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ts, skipOuter } from '../analysis/ts';
import type { Analyzer } from '../analysis/analyze';
import type { ProjectFile } from '../analysis/project';
import { isModuleExport } from '../analysis/values';
import type { FileEdit } from './edit';
import { ensureNamedImport, relativeSpecifier } from './imports';
import { detectStyle, restyle, type CodeStyle } from './style';
import { MODULE_HEADER, PACKAGE_VERSIONS, SECTIONS, renderSection } from './templates';

export class FixNotApplicable extends Error {
  override name = 'FixNotApplicable';
}

interface Provided { file?: ProjectFile; abs: string; exportName: string }

export interface ModuleOptions {
  /** Path of the observability module relative to the root (default src/observability.ts, or observability.ts without src/). */
  observabilityModule?: string;
  /** The current text of a file outside the analysis (package.json) when earlier fixes changed it but nothing is written yet. */
  pendingText?: (abs: string) => string | undefined;
}

export class ObservabilityModule {
  private readonly wanted = new Set<string>();
  /** Names to import, per importing file and specifier. */
  private readonly imports = new Map<string, { file: ProjectFile; spec: string; names: string[]; style: CodeStyle }>();
  private readonly deps = new Set<string>();
  /** Sections the module's own code uses that the project defines elsewhere (imported into the module). */
  private readonly moduleImports = new Map<string, Provided>();
  private moduleFile?: ProjectFile;
  private moduleAbs: string;

  constructor(private readonly analyzer: Analyzer, private readonly options: ModuleOptions = {}) {
    const root = analyzer.root;
    const files = [...analyzer.project.files.values()];
    const configured = options.observabilityModule ? path.resolve(root, options.observabilityModule) : undefined;
    const existing = configured
      ? files.find((f) => f.abs === configured || f.abs.replace(/\.[cm]?[jt]sx?$/, '') === configured.replace(/\.[cm]?[jt]sx?$/, ''))
      : files.filter((f) => /(^|\/)observability\.[cm]?[jt]s$/.test(f.rel)).sort((a, b) => a.rel.length - b.rel.length)[0];
    this.moduleFile = existing;
    const jsProject = files.length > 0 && files.every((f) => !/\.[cm]?tsx?$/.test(f.abs));
    const ext = jsProject ? '.js' : '.ts';
    this.moduleAbs = existing?.abs ?? configured ?? path.join(root, fs.existsSync(path.join(root, 'src')) ? 'src' : '', 'observability' + ext);
  }

  get path(): string { return this.moduleAbs; }

  private jsExt?: boolean;
  /** Do the project's relative imports carry `.js` extensions (ESM with node16/nodenext resolution)? */
  jsExtensions(): boolean {
    if (this.jsExt === undefined) {
      let js = 0, bare = 0;
      for (const f of this.analyzer.project.files.values()) {
        for (const m of f.importedModules) if (m.startsWith('.')) { if (/\.(m|c)?js$/.test(m)) js++; else bare++; }
      }
      this.jsExt = js > bare || (js === 0 && bare === 0 && this.nodeNextResolution());
    }
    return this.jsExt;
  }

  /**
   * Makes export `name` exist (the project's own definition, else a module section) without
   * importing it anywhere; returns where it is, for a file a fix creates itself.
   */
  provide(name: string): { abs: string; exportName: string } {
    const section = SECTIONS[name];
    if (!section) throw new Error(`unknown observability export ${name}`);
    for (const pkg of Object.keys(section.imports)) this.deps.add(pkg);
    const provided = this.existing(name);
    if (provided) return { abs: provided.abs, exportName: provided.exportName };
    this.want(name);
    return { abs: this.moduleAbs, exportName: name };
  }

  /**
   * Makes export `name` available in `from`; returns the identifier to use there.
   * Throws FixNotApplicable when the project defines the same metric in a way we cannot reuse.
   */
  use(name: string, from: ProjectFile, style: CodeStyle): string {
    const section = SECTIONS[name];
    if (!section) throw new Error(`unknown observability export ${name}`);
    for (const pkg of Object.keys(section.imports)) this.deps.add(pkg);
    const provided = this.existing(name);
    if (provided) {
      if (provided.abs === from.abs) return provided.exportName;
      this.addImport(from, relativeSpecifier(from, provided.abs, this.jsExtensions()), provided.exportName, style);
      return provided.exportName;
    }
    this.want(name);
    if (from.abs !== this.moduleAbs) this.addImport(from, relativeSpecifier(from, this.moduleAbs, this.jsExtensions()), name, style);
    return name;
  }

  /** Adds a section to the module, and the sections it uses — each reused from the project when defined there. */
  private want(name: string): void {
    if (this.wanted.has(name)) return;
    this.wanted.add(name);
    for (const u of SECTIONS[name].uses ?? []) {
      if (this.wanted.has(u) || this.moduleImports.has(u)) continue;
      for (const pkg of Object.keys(SECTIONS[u].imports)) this.deps.add(pkg);
      const provided = this.existing(u);
      if (!provided) this.want(u);
      else if (provided.abs !== this.moduleAbs) this.moduleImports.set(u, provided);
    }
  }

  private addImport(file: ProjectFile, spec: string, name: string, style: CodeStyle): void {
    const key = `${file.abs}\0${spec}`;
    const entry = this.imports.get(key);
    if (entry) { if (!entry.names.includes(name)) entry.names.push(name); }
    else this.imports.set(key, { file, spec, names: [name], style });
  }

  /** An existing definition of the section in the project, usable from other files. */
  private existing(name: string): Provided | undefined {
    const section = SECTIONS[name];
    if (this.moduleFile?.exports().has(name)) return { file: this.moduleFile, abs: this.moduleFile.abs, exportName: name };
    const inv = this.analyzer.inventory();
    if (section.metric) {
      const defs = inv.metrics.filter((m) => m.name === section.metric);
      if (defs.length === 0) return undefined;
      for (const def of defs) {
        const file = [...this.analyzer.project.files.values()].find((f) => f.rel === def.file);
        if (!file) continue;
        const missing = (section.labelNames ?? []).filter((l) => !def.labelNames.includes(l));
        if (missing.length) throw new FixNotApplicable(`${section.metric} is already defined at ${def.file}:${def.line} without the label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
        const exportName = exportedBindingAt(file, def.line);
        if (exportName) return { file, abs: file.abs, exportName };
        throw new FixNotApplicable(`${section.metric} is already defined at ${def.file}:${def.line} but not exported; export it to reuse it`);
      }
      return undefined;
    }
    // logger / tracer: an exported pino() or trace.getTracer() anywhere in the project
    for (const file of this.analyzer.project.files.values()) {
      for (const [exportName, entry] of file.exports()) {
        if (!('value' in entry) || exportName === 'default' || exportName === '=') continue;
        const node = entry.kind === 'decl' && ts.isVariableDeclaration(entry.value) ? entry.value.initializer : entry.value;
        if (!node || !ts.isExpression(node)) continue;
        const e = skipOuter(node);
        if (!ts.isCallExpression(e)) continue;
        const callee = file.valueOf(e.expression);
        if (name === 'logger' && (isModuleExport(callee, ['pino'], ['', 'pino', 'default']))) return { file, abs: file.abs, exportName };
        if (name === 'tracer' && callee.k === 'module' && callee.module === '@opentelemetry/api' && callee.path[callee.path.length - 1] === 'getTracer') return { file, abs: file.abs, exportName };
      }
    }
    return undefined;
  }

  /** The edits: module creation or extension, imports in the files that use it, package.json dependencies. */
  edits(): FileEdit[] {
    const out: FileEdit[] = [];
    for (const i of this.imports.values()) out.push(...ensureNamedImport(i.file, i.spec, i.names, i.style));
    const sections = [...this.wanted];
    if (sections.length) out.push(...this.moduleEdits(sections));
    out.push(...this.packageEdits());
    return out;
  }

  private moduleEdits(names: string[]): FileEdit[] {
    const typescript = /\.[cm]?tsx?$/.test(this.moduleAbs);
    const serviceName = this.serviceName();
    const ordered = Object.keys(SECTIONS).filter((n) => names.includes(n));
    if (!this.moduleFile) {
      const style: CodeStyle = { quote: "'", semi: true, indent: '  ', eol: '\n', module: this.moduleStyle(), typescript };
      const imports = new Map<string, Set<string>>();
      for (const n of ordered) for (const [pkg, ids] of Object.entries(SECTIONS[n].imports)) {
        if (!imports.has(pkg)) imports.set(pkg, new Set());
        for (const id of ids) imports.get(pkg)!.add(id);
      }
      const importLines = [...imports.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([pkg, ids]) => {
        const list = [...ids].sort().join(', ');
        return style.module === 'cjs' ? `const { ${list} } = require('${pkg}');` : `import { ${list} } from '${pkg}';`;
      });
      const bySpec = new Map<string, string[]>();
      for (const [local, p] of this.moduleImports) {
        const spec = this.specifierFromModule(p.abs);
        const binding = p.exportName === local ? local : style.module === 'cjs' ? `${p.exportName}: ${local}` : `${p.exportName} as ${local}`;
        bySpec.set(spec, [...(bySpec.get(spec) ?? []), binding]);
      }
      for (const [spec, bindings] of bySpec) {
        const list = bindings.join(', ');
        importLines.push(style.module === 'cjs' ? `const { ${list} } = require('${spec}');` : `import { ${list} } from '${spec}';`);
      }
      const body = ordered.map((n) => toModuleStyle(renderSection(SECTIONS[n], { typescript, serviceName }), style)).join('\n\n');
      const text = `${MODULE_HEADER}\n${importLines.length ? importLines.join('\n') + '\n' : ''}\n${body}\n`;
      return [{ file: this.moduleAbs, start: 0, end: 0, newText: text, create: true }];
    }
    const file = this.moduleFile;
    const style = detectStyle(file.sf);
    const edits: FileEdit[] = [];
    const byPkg = new Map<string, string[]>();
    for (const n of ordered) for (const [pkg, ids] of Object.entries(SECTIONS[n].imports)) byPkg.set(pkg, [...(byPkg.get(pkg) ?? []), ...ids]);
    for (const [pkg, ids] of byPkg) edits.push(...ensureNamedImport(file, pkg, ids, style));
    for (const [local, p] of this.moduleImports) {
      if (p.exportName === local) edits.push(...ensureNamedImport(file, relativeSpecifier(file, p.abs, this.jsExtensions()), local, style));
      else {
        const binding = style.module === 'cjs' ? `${p.exportName}: ${local}` : `${p.exportName} as ${local}`;
        const line = style.module === 'cjs' ? `const { ${binding} } = require('${relativeSpecifier(file, p.abs, this.jsExtensions())}');` : `import { ${binding} } from '${relativeSpecifier(file, p.abs, this.jsExtensions())}';`;
        edits.push({ file: file.abs, start: 0, end: 0, newText: restyle(line, style) + style.eol });
      }
    }
    const end = file.sf.text.length;
    const sep = file.sf.text.endsWith('\n') ? '\n' : '\n\n';
    edits.push({ file: file.abs, start: end, end, newText: sep + ordered.map((n) => restyle(toModuleStyle(renderSection(SECTIONS[n], { typescript, serviceName }), style), style)).join('\n\n') + '\n' });
    return mergeSameOffset(edits);
  }

  /** Does the tsconfig.json nearest the module ask for node16/nodenext resolution (extensions required)? */
  private nodeNextResolution(): boolean {
    for (let dir = path.dirname(this.moduleAbs); ; dir = path.dirname(dir)) {
      try {
        const text = fs.readFileSync(path.join(dir, 'tsconfig.json'), 'utf8');
        return /"(module|moduleResolution)"\s*:\s*"node(16|next)"/i.test(text);
      } catch { /* no tsconfig here */ }
      if (dir === path.dirname(dir) || !dir.startsWith(this.analyzer.root)) return false;
    }
  }

  /** The specifier the (new) module file uses to import `abs`. */
  private specifierFromModule(abs: string): string {
    let rel = path.relative(path.dirname(this.moduleAbs), abs).split(path.sep).join('/').replace(/\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, '');
    if (!rel.startsWith('.')) rel = './' + rel;
    return rel;
  }

  private moduleStyle(): 'esm' | 'cjs' {
    if (/\.cjs$/.test(this.moduleAbs)) return 'cjs';
    if (/\.[cm]?tsx?$|\.mjs$/.test(this.moduleAbs)) return 'esm';
    const pkg = this.nearestPackageJson();
    if (pkg && pkg.json.type === 'module') return 'esm';
    const files = [...this.analyzer.project.files.values()];
    const cjs = files.filter((f) => detectStyle(f.sf).module === 'cjs').length;
    return cjs >= files.length / 2 ? 'cjs' : 'esm';
  }

  private serviceName(): string {
    const pkg = this.nearestPackageJson();
    return typeof pkg?.json.name === 'string' ? pkg.json.name : path.basename(this.analyzer.root);
  }

  private nearestPackageJson(): { file: string; text: string; json: Record<string, unknown> } | undefined {
    for (let dir = path.dirname(this.moduleAbs); ; dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      const pending = this.options.pendingText?.(file);
      if (pending !== undefined || fs.existsSync(file)) {
        try {
          const text = pending ?? fs.readFileSync(file, 'utf8');
          return { file, text, json: JSON.parse(text) };
        } catch { return undefined; }
      }
      if (dir === path.dirname(dir) || !dir.startsWith(this.analyzer.root)) return undefined;
    }
  }

  /** Adds missing dependencies to the nearest package.json, keeping its formatting; never runs npm. */
  private packageEdits(): FileEdit[] {
    const pkg = this.nearestPackageJson();
    if (!pkg) return [];
    const deps = { ...(pkg.json.dependencies as Record<string, string> | undefined), ...(pkg.json.devDependencies as Record<string, string> | undefined), ...(pkg.json.peerDependencies as Record<string, string> | undefined) };
    const missing = [...this.deps].filter((d) => !d.startsWith('node:') && !(d in deps)).sort();
    if (!missing.length) return [];
    const indent = /\n([ \t]+)"/.exec(pkg.text)?.[1] ?? '  ';
    const m = /"dependencies"\s*:\s*\{/.exec(pkg.text);
    if (m) {
      const at = m.index + m[0].length;
      const empty = /^\s*\}/.test(pkg.text.slice(at));
      const lines = missing.map((d) => `${indent}${indent}"${d}": "${PACKAGE_VERSIONS[d]}"`).join(',\n');
      return [{ file: pkg.file, start: at, end: at, newText: `\n${lines}${empty ? `\n${indent}` : ','}` }];
    }
    const close = pkg.text.lastIndexOf('}');
    const before = pkg.text.slice(0, close).trimEnd();
    const block = `${before.endsWith('{') ? '' : ','}\n${indent}"dependencies": {\n${missing.map((d) => `${indent}${indent}"${d}": "${PACKAGE_VERSIONS[d]}"`).join(',\n')}\n${indent}}\n`;
    return [{ file: pkg.file, start: before.length, end: close, newText: block }];
  }
}

/**
 * `export const x = …` → `const x = exports.x = …` and `export function f` → `function f` plus
 * `exports.f = f;` for CommonJS modules: exported, and bound locally for the sections that use them.
 */
function toModuleStyle(code: string, style: CodeStyle): string {
  if (style.module !== 'cjs') return code;
  const functions: string[] = [];
  const out = code.replace(/^export const (\w+) =/gm, 'const $1 = exports.$1 =').replace(/^export (?:async )?function\*? ?(\w+)/gm, (m, name: string) => {
    functions.push(name);
    return m.slice('export '.length);
  });
  return out + functions.map((f) => `\nexports.${f} = ${f};`).join('');
}

/** The exported name of the top-level `const x = new …` on a line (or undefined if not exported). */
function exportedBindingAt(file: ProjectFile, line: number): string | undefined {
  for (const [name, entry] of file.exports()) {
    if (!('value' in entry)) continue;
    const node = entry.value;
    const start = file.sf.getLineAndCharacterOfPosition(node.getStart(file.sf)).line + 1;
    const end = file.sf.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
    if (line >= start && line <= end && name !== 'default' && name !== '=') return name;
    // export { x } of a declaration on that line
    if (ts.isIdentifier(node)) {
      const d = file.values.declarationOf(node);
      if (d) {
        const dl = file.sf.getLineAndCharacterOfPosition(d.getStart(file.sf)).line + 1;
        const dle = file.sf.getLineAndCharacterOfPosition(d.getEnd()).line + 1;
        if (line >= dl && line <= dle) return name;
      }
    }
  }
  return undefined;
}

function mergeSameOffset(edits: FileEdit[]): FileEdit[] {
  const out: FileEdit[] = [];
  for (const e of edits) {
    const same = out.find((x) => x.file === e.file && x.start === e.start && x.end === x.start && e.end === e.start);
    if (same) same.newText += e.newText; else out.push({ ...e });
  }
  return out;
}
