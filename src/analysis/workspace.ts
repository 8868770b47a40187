/**
 * Which files a scan reads. Walks the given paths, skipping what is not the app's own source:
 * node_modules, build output (dist, build, out, .next, coverage), hidden folders, `.d.ts`, tests
 * (`*.test.*`, `*.spec.*`, `__tests__/`, `test/`, `tests/`) and the config's `exclude` globs.
 * JavaScript files are read when the nearest tsconfig says `allowJs` or there is no tsconfig.
 * Unreadable, binary and huge files and symlink loops become `errors`, never exceptions.
 */
import fs from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import { ts } from './ts';
import type { AnalysisError } from './model';

export const MAX_FILE_BYTES = 2 * 1024 * 1024;

const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', 'out', '.next', 'coverage', '__tests__', '__mocks__', 'test', 'tests', 'bower_components', 'jspm_packages', 'tmp', '.git']);
const TS_EXT = /\.(ts|tsx|mts|cts)$/;
const JS_EXT = /\.(js|jsx|mjs|cjs)$/;
const TEST_FILE = /\.(test|spec|e2e-spec|e2e)\.[cm]?[jt]sx?$/;

export interface TsconfigInfo {
  dir: string;
  allowJs: boolean;
  outDir?: string;
  baseUrl?: string;
  paths?: Record<string, string[]>;
}

export interface SourceEntry {
  /** Absolute path (the real path when reached through a symlink). */
  abs: string;
  /** Relative to the root, '/' separators. */
  rel: string;
  text: string;
}

export interface WorkspaceOptions {
  include?: string[];
  exclude?: string[];
  /** Read test files too (the CLI's --include-tests). */
  includeTests?: boolean;
  onProgress?: (filesSeen: number) => void;
}

export interface Workspace {
  root: string;
  files: SourceEntry[];
  errors: AnalysisError[];
  tsconfigs: TsconfigInfo[];
}

/** Reads a tsconfig.json (with `extends`) leniently: a broken one is reported and ignored. */
export function readTsconfig(file: string, errors: AnalysisError[], root: string): TsconfigInfo | undefined {
  const dir = path.dirname(file);
  const read = ts.readConfigFile(file, (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } });
  if (read.error) {
    errors.push({ file: toRel(root, file), message: `tsconfig ignored: ${ts.flattenDiagnosticMessageText(read.error.messageText, ' ')}` });
    return undefined;
  }
  const host: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: true,
    readDirectory: () => [], // we walk the tree ourselves
    fileExists: (p) => fs.existsSync(p),
    readFile: (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } },
  };
  const parsed = ts.parseJsonConfigFileContent(read.config, host, dir, undefined, file);
  const o = parsed.options;
  return {
    dir,
    allowJs: !!o.allowJs || !!o.checkJs,
    outDir: o.outDir,
    baseUrl: o.baseUrl ?? (o.paths ? dir : undefined),
    paths: o.paths as Record<string, string[]> | undefined,
  };
}

export function toRel(root: string, abs: string): string {
  const rel = path.relative(root, abs);
  return (rel === '' ? path.basename(abs) : rel).split(path.sep).join('/');
}

/** Collects the source files under `paths` (files or directories) relative to `root`. */
export function loadWorkspace(root: string, paths: string[], options: WorkspaceOptions = {}): Workspace {
  const errors: AnalysisError[] = [];
  const files: SourceEntry[] = [];
  const tsconfigs: TsconfigInfo[] = [];
  const tsconfigByDir = new Map<string, TsconfigInfo | null>();
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const outDirs = new Set<string>();
  const exclude = (options.exclude ?? []).map((g) => g.replace(/^\.\//, ''));
  const include = (options.include ?? []).map((g) => g.replace(/^\.\//, ''));

  const tsconfigFor = (dir: string): TsconfigInfo | null => {
    if (tsconfigByDir.has(dir)) return tsconfigByDir.get(dir)!;
    let info: TsconfigInfo | null = null;
    const candidate = path.join(dir, 'tsconfig.json');
    if (fs.existsSync(candidate)) {
      info = readTsconfig(candidate, errors, root) ?? null;
      if (info) { tsconfigs.push(info); if (info.outDir) outDirs.add(path.resolve(info.outDir)); }
    } else {
      const parent = path.dirname(dir);
      info = parent !== dir && isInside(root, parent) ? tsconfigFor(parent) : null;
    }
    tsconfigByDir.set(dir, info);
    return info;
  };

  const excluded = (rel: string, isDir: boolean): boolean =>
    exclude.some((g) => minimatch(rel, g, { dot: true }) || (isDir && minimatch(rel + '/x', g, { dot: true })));

  const addFile = (abs: string, explicit: boolean): void => {
    const rel = toRel(root, abs);
    const name = path.basename(abs);
    if (name.endsWith('.d.ts') || /\.d\.[cm]ts$/.test(name)) return;
    const isTs = TS_EXT.test(name), isJs = JS_EXT.test(name);
    if (!isTs && !isJs) return;
    if (!explicit) {
      if (!options.includeTests && TEST_FILE.test(name)) return;
      if (isJs) {
        const cfg = tsconfigFor(path.dirname(abs));
        if (cfg && !cfg.allowJs) return;
        if (/(^|\.)(config|conf|rc)\.[cm]?js$/.test(name) || name.endsWith('.min.js')) return;
      }
      if (excluded(rel, false)) return;
      if (include.length && !include.some((g) => minimatch(rel, g, { dot: true }))) return;
    }
    let real: string;
    try { real = fs.realpathSync(abs); } catch (e) { errors.push({ file: rel, message: `unreadable: ${(e as Error).message}` }); return; }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    let stat: fs.Stats;
    try { stat = fs.statSync(real); } catch (e) { errors.push({ file: rel, message: `unreadable: ${(e as Error).message}` }); return; }
    if (stat.size > MAX_FILE_BYTES) {
      errors.push({ file: rel, message: `skipped: ${(stat.size / 1048576).toFixed(1)} MB is larger than the 2 MB limit` });
      return;
    }
    let buf: Buffer;
    try { buf = fs.readFileSync(real); } catch (e) { errors.push({ file: rel, message: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }); return; }
    if (buf.subarray(0, 8192).includes(0)) { errors.push({ file: rel, message: 'skipped: binary file (contains NUL bytes)' }); return; }
    files.push({ abs, rel, text: buf.toString('utf8') });
    if (files.length % 200 === 0) options.onProgress?.(files.length);
  };

  const walk = (dir: string, depth: number): void => {
    let real: string;
    try { real = fs.realpathSync(dir); } catch (e) { errors.push({ file: toRel(root, dir), message: `unreadable: ${(e as Error).message}` }); return; }
    if (seenDirs.has(real)) {
      if (isInside(real, dir) || depth > 0) errors.push({ file: toRel(root, dir), message: `skipped: symlink loop (${toRel(root, dir)} → ${real})` });
      return;
    }
    seenDirs.add(real);
    tsconfigFor(dir);
    let entries: fs.Dirent[];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch (e) {
      errors.push({ file: toRel(root, dir), message: `unreadable: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      let isDir = e.isDirectory(), isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try { const s = fs.statSync(abs); isDir = s.isDirectory(); isFile = s.isFile(); } catch {
          errors.push({ file: toRel(root, abs), message: 'skipped: broken symlink' });
          continue;
        }
      }
      if (isDir) {
        if (SKIP_DIRS.has(e.name) && !(options.includeTests && (e.name === 'test' || e.name === 'tests' || e.name === '__tests__'))) continue;
        if (e.name.startsWith('.')) continue;
        if (outDirs.has(abs)) continue;
        if (excluded(toRel(root, abs), true)) continue;
        walk(abs, depth + 1);
      } else if (isFile) addFile(abs, false);
    }
  };

  for (const p of paths) {
    const abs = path.resolve(root, p);
    let stat: fs.Stats;
    try { stat = fs.statSync(abs); } catch { throw new Error(`no such file or directory: ${p}`); }
    if (stat.isDirectory()) walk(abs, 0);
    else { tsconfigFor(path.dirname(abs)); addFile(abs, true); }
  }
  options.onProgress?.(files.length);
  return { root, files, errors, tsconfigs };
}

function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
