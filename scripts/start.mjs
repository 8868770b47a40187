#!/usr/bin/env node
// `npm start`: Telltale on the bundled example, with no VS Code needed.
//   1. builds dist/ if it is missing or older than the sources
//   2. scans examples/shop and prints the findings
//   3. starts the example app on 127.0.0.1 and a bounded traffic generator
//   4. starts the Telltale runtime scraping it (RED, jobs, drift) and prints the dashboard URL
// Ctrl-C (or SIGTERM) stops everything it started.
//
//   node scripts/start.mjs [--duration SECONDS] [--rps N] [--port N] [--no-traffic] [--json]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTraffic } from './traffic.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const example = path.join(root, 'examples/shop');
const args = process.argv.slice(2);
const flag = (name, fallback) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : fallback; };
const duration = Number(flag('--duration', '0'));
const rps = Number(flag('--rps', '15'));
const runtimePort = flag('--port', '0');
const noTraffic = args.includes('--no-traffic');
const json = args.includes('--json');
const log = (...a) => { if (!json) console.log(...a); };

const children = [];
let stopping = false;
const controller = new AbortController();

function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  controller.abort();
  for (const c of children) { try { process.kill(-c.pid, 'SIGTERM'); } catch { /* already gone */ } }
  const deadline = Date.now() + 4000;
  const wait = () => {
    const alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
    if (alive.length === 0 || Date.now() > deadline) {
      for (const c of alive) { try { process.kill(-c.pid, 'SIGKILL'); } catch { /* gone */ } }
      process.exit(code);
    }
    setTimeout(wait, 100);
  };
  wait();
}
process.on('SIGINT', () => { log('\nstopping…'); stopAll(0); });
process.on('SIGTERM', () => stopAll(0));

function newestMtime(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Spawns a child in its own process group and resolves with the first stdout/stderr match of `ready`. */
function start(name, cmd, argv, { ready, env, cwd }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { cwd: cwd ?? root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.push(child);
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 60 s:\n${out}`)), 60_000);
    const onData = (d) => {
      out += d.toString();
      if (out.length > 1 << 20) out = out.slice(-(1 << 19));
      const m = out.match(ready);
      if (m) { clearTimeout(timer); resolve({ child, match: m }); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!stopping) { console.error(`${name} exited (${signal ?? code}):\n${out.slice(-4000)}`); reject(new Error(`${name} exited`)); stopAll(1); }
    });
  });
}

async function main() {
  // 1. build
  const cli = path.join(root, 'dist/cli.js');
  const builtAt = fs.existsSync(cli) ? fs.statSync(cli).mtimeMs : 0;
  if (!builtAt || newestMtime(path.join(root, 'src')) > builtAt || (fs.existsSync(path.join(root, 'webview')) && newestMtime(path.join(root, 'webview')) > builtAt)) {
    log('building…');
    const b = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: json ? 'ignore' : 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  if (!fs.existsSync(path.join(example, 'data/reference.csv'))) spawnSync(process.execPath, [path.join(root, 'scripts/gen-example-data.mjs')], { stdio: json ? 'ignore' : 'inherit' });

  // 2. scan
  log('\n── telltale scan examples/shop ──────────────────────────────────────────────');
  const scan = spawnSync(process.execPath, [cli, 'scan', example], { encoding: 'utf8' });
  log(scan.stdout.trimEnd());
  const inventoryFile = path.join(os.tmpdir(), `telltale-example-inventory-${process.pid}.json`);
  fs.writeFileSync(inventoryFile, spawnSync(process.execPath, [cli, 'inventory', example, '--format', 'json'], { encoding: 'utf8' }).stdout);

  // 3. the example app and its traffic
  const appPort = await freePort();
  await start('example app', process.execPath, ['--import', 'tsx', path.join(example, 'src/server.ts')], { ready: /shop listening on (\S+)/, env: { PORT: String(appPort), LOG_LEVEL: 'warn' }, cwd: example });
  const appUrl = `http://127.0.0.1:${appPort}`;
  log(`\nexample app      ${appUrl}  (examples/shop)`);
  let traffic;
  if (!noTraffic) traffic = runTraffic(appUrl, { rps, signal: controller.signal, maxRequests: duration ? Math.ceil(duration * rps) : 3_600 * rps });

  // 4. the runtime
  const rt = await start('runtime', process.execPath, [cli, 'runtime', '--json', '--port', runtimePort,
    '--config', path.join(example, 'telltale.config.json'), '--target', `${appUrl}/metrics`, '--inventory', inventoryFile],
  { ready: /\{"url":"([^"]+)","tokenFile":"([^"]+)"[^\n]*\}/, cwd: example });
  const url = rt.match[1], tokenFile = rt.match[2];
  const token = fs.readFileSync(tokenFile, 'utf8').trim();
  const dashboard = `${url.replace(/\/$/, '')}/?token=${token}`;
  if (json) process.stdout.write(JSON.stringify({ app: appUrl, runtime: url, tokenFile, dashboard }) + '\n');
  log(`telltale runtime ${url}  (token in ${tokenFile})`);
  log(`\n  Dashboard: ${dashboard}\n`);
  log(noTraffic ? 'No traffic generator (--no-traffic).' : `Sending ~${rps} requests/s to the example; numbers appear after the first scrapes (a few seconds).`);
  log(duration ? `Stopping after ${duration} s.` : 'Press Ctrl-C to stop everything.');
  if (duration) setTimeout(() => stopAll(0), duration * 1000).unref();
  await traffic;
}

main().catch((err) => { console.error(`npm start: ${err.message}`); stopAll(1); });
