/**
 * Module boundaries of DESIGN.md / STYLE.md §2, checked on every import of every source file.
 * Only `src/extension` may import 'vscode'; the webview imports no Node module; analysis, fixes
 * and runtime never import each other the wrong way round.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ts } from 'ts-morph';

const ROOT = path.resolve(__dirname, '..');

/** For each folder: the owners it may import. Owners are a src folder, 'node', or a package name. */
const MAY_IMPORT: Record<string, string[]> = {
  'src/config': ['src/config', 'node', 'ajv'],
  'src/analysis': ['src/analysis', 'src/config', 'node', 'ts-morph', 'minimatch'],
  'src/fixes': ['src/fixes', 'src/analysis', 'node', 'ts-morph'],
  'src/runtime': ['src/runtime', 'src/protocol', 'src/config', 'node', 'prom-client', 'pino', '@opentelemetry/api', 'hyparquet'],
  'src/protocol': ['src/protocol', 'src/analysis:type', 'src/runtime:type'],
  'src/worker': ['src/worker', 'src/config', 'src/analysis', 'src/fixes', 'src/runtime', 'src/protocol', 'node'],
  'src/cli': ['src/cli', 'src/config', 'src/analysis', 'src/fixes', 'src/runtime', 'src/protocol', 'node'],
  'src/extension': ['src/extension', 'src/config', 'src/protocol', 'vscode', 'node', 'src/analysis:type', 'src/fixes:type', 'src/runtime:type'],
  webview: ['webview', 'src/protocol:type', 'chart.js', '@vscode/webview-ui-toolkit'],
};

interface Imp { file: string; spec: string; typeOnly: boolean; text: string }

function listFiles(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(rel));
    else if (/\.(ts|tsx|mts|cts)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function collectImports(dir: string): Imp[] {
  const imps: Imp[] = [];
  for (const file of listFiles(dir)) {
    const sf = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const typeOnly = ts.isImportDeclaration(node) ? !!node.importClause?.isTypeOnly : node.isTypeOnly;
        imps.push({ file, spec: node.moduleSpecifier.text, typeOnly, text: `${file}: ${node.getText().split('\n')[0]}` });
      } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]) &&
        ((ts.isIdentifier(node.expression) && node.expression.text === 'require') || node.expression.kind === ts.SyntaxKind.ImportKeyword)) {
        imps.push({ file, spec: node.arguments[0].text, typeOnly: false, text: `${file}: ${node.getText()}` });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return imps;
}

function owner(imp: Imp): string {
  const { spec, file } = imp;
  if (spec.startsWith('node:')) return 'node';
  if (spec.startsWith('.')) {
    const target = path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec)).split(path.sep);
    return target[0] === 'src' ? `src/${target[1]}` : target[0];
  }
  const builtin = new Set(['fs', 'path', 'os', 'url', 'util', 'http', 'https', 'zlib', 'events', 'stream', 'crypto', 'child_process', 'worker_threads', 'net', 'readline', 'assert']);
  if (builtin.has(spec.split('/')[0])) return 'node';
  return spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
}

describe('module boundaries', () => {
  for (const [dir, allowed] of Object.entries(MAY_IMPORT)) {
    it(`${dir} imports only ${allowed.join(', ')}`, () => {
      for (const imp of collectImports(dir)) {
        const o = owner(imp);
        const ok = allowed.includes(o) || (imp.typeOnly && allowed.includes(`${o}:type`));
        assert.ok(ok, `not allowed here: ${imp.text}`);
      }
    });
  }

  it('sees the imports it checks (the checker itself works)', () => {
    const imps = collectImports('src/cli');
    assert.ok(imps.some((i) => i.spec === './io'), 'expected src/cli/main.ts to import ./io');
  });
});
