import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { runCli } from '../helpers/cli';
import { checkGolden } from '../helpers/golden';

const ROOT = path.resolve(__dirname, '../..');
const SHOP = path.join(ROOT, 'test/fixtures/cli/express-shop');
const normalize = (text: string) => text.split(SHOP).join('<root>');

describe('telltale scan / inventory (CLI contract)', () => {
  it('inventory --format json matches the golden', async () => {
    const r = await runCli(['inventory', SHOP, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    checkGolden(path.join(SHOP, 'inventory.golden.json'), normalize(r.stdout));
    const inv = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(inv.routes[0]), ['file', 'line', 'method', 'path', 'framework', 'coverage']);
  });

  it('scan --format json matches the golden and reports the binary file under errors', async () => {
    const r = await runCli(['scan', SHOP, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr); // warnings only, --fail-on defaults to error
    checkGolden(path.join(SHOP, 'scan.golden.json'), normalize(r.stdout));
    const out = JSON.parse(r.stdout);
    assert.ok(out.errors.some((e: { file: string; message: string }) => e.file === 'src/blob.ts' && /binary/.test(e.message)));
    assert.ok(out.errors.some((e: { file: string; message: string }) => e.file === 'src/broken.ts' && /syntax error/.test(e.message)));
    assert.ok(out.findings.some((f: { file: string; message: string }) => f.file === 'src/broken.ts' && f.message === 'Route GET /still-found has no metrics or spans'),
      'a file with syntax errors is analysed as far as the parser recovers');
  });

  it('text output is grouped by file with a summary line', async () => {
    const r = await runCli(['scan', SHOP]);
    checkGolden(path.join(SHOP, 'scan.golden.txt'), normalize(r.stdout));
    assert.match(r.stdout, /✖ 2 problems \(0 errors, 2 warnings\)\n$/);
  });

  it('SARIF output is valid against the SARIF 2.1.0 schema and carries rule metadata', async () => {
    const r = await runCli(['scan', SHOP, '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout);
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(JSON.parse(r.stdout)), JSON.stringify(validate.errors?.slice(0, 5), null, 1));
    const run = sarif.runs[0];
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'uninstrumented-route');
    assert.match(rule.helpUri, /docs\/rules\/uninstrumented-route\.md$/);
    assert.equal(run.results.length, 2);
    assert.deepEqual(run.results[0].locations[0].physicalLocation.region, { startLine: 9, startColumn: 5, endLine: 9, endColumn: 8 });
    assert.equal(run.tool.driver.rules[run.results[0].ruleIndex].id, run.results[0].ruleId);
  });

  it('the schema check itself rejects a broken SARIF log', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
    const validate = new Ajv({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
    assert.equal(validate({ version: '2.1.0', runs: [{ tool: { driver: {} }, results: [{ message: {} }] }] }), false);
  });

  it('exit codes follow --fail-on and --max-warnings', async () => {
    assert.equal((await runCli(['scan', SHOP, '--fail-on', 'warning', '-f', 'json'])).code, 1);
    assert.equal((await runCli(['scan', SHOP, '--fail-on', 'none', '-f', 'json'])).code, 0);
    assert.equal((await runCli(['scan', SHOP, '--max-warnings', '1', '-f', 'json'])).code, 1);
    assert.equal((await runCli(['scan', SHOP, '--max-warnings', '2', '-f', 'json'])).code, 0);
  });

  it('usage and config errors exit 2 with a one-line reason', async () => {
    const missing = await runCli(['scan', 'does/not/exist']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'telltale scan: no such file or directory: does/not/exist\n');
    const badFormat = await runCli(['scan', SHOP, '--format', 'xml']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be one of text, json, sarif/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-cfg-'));
    try {
      fs.writeFileSync(path.join(dir, 'telltale.config.json'), '{"rules": {"uninstrumented-route": "loud"}}');
      const bad = await runCli(['scan', dir]);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /telltale\.config\.json: rules\.uninstrumented-route: /);
      fs.writeFileSync(path.join(dir, 'telltale.config.json'), '{"rules": {"no-such-rule": "off"}}');
      const unknownRule = await runCli(['scan', dir]);
      assert.equal(unknownRule.code, 2);
      assert.match(unknownRule.stderr, /unknown rule 'no-such-rule'/);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('config turns rules off and changes severity; ignore comments suppress', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-cfg-'));
    try {
      fs.mkdirSync(path.join(dir, 'src'));
      fs.writeFileSync(path.join(dir, 'src/app.ts'), [
        "import express from 'express';",
        'const app = express();',
        "app.get('/a', (req, res) => res.end());",
        '// telltale-ignore-next-line uninstrumented-route -- scraped by the load balancer',
        "app.get('/b', (req, res) => res.end());",
        '// telltale-ignore-next-line uninstrumented-job',
        "app.get('/c', (req, res) => res.end());",
      ].join('\n'));
      let r = await runCli(['scan', dir, '-f', 'json', '--report-unused-ignores']);
      let out = JSON.parse(r.stdout);
      assert.deepEqual(out.findings.map((f: { rule: string; line: number }) => `${f.rule}@${f.line}`), ['uninstrumented-route@3', 'unused-ignore@6', 'uninstrumented-route@7']);
      fs.writeFileSync(path.join(dir, 'telltale.config.json'), '{"rules": {"uninstrumented-route": "error"}}');
      r = await runCli(['scan', dir, '-f', 'json']);
      out = JSON.parse(r.stdout);
      assert.equal(r.code, 1);
      assert.deepEqual(out.findings.map((f: { severity: string }) => f.severity), ['error', 'error']);
      fs.writeFileSync(path.join(dir, 'telltale.config.json'), '{"rules": {"uninstrumented-route": "off"}}');
      r = await runCli(['scan', dir, '-f', 'json']);
      assert.deepEqual(JSON.parse(r.stdout).findings, []);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('huge files and symlink loops are listed under errors and skipped, nothing crashes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-bad-'));
    try {
      fs.mkdirSync(path.join(dir, 'src/loop'), { recursive: true });
      fs.symlinkSync(path.join(dir, 'src'), path.join(dir, 'src/loop/back'));
      fs.writeFileSync(path.join(dir, 'src/huge.ts'), '// x\n'.repeat(600_000));
      fs.writeFileSync(path.join(dir, 'src/ok.ts'), "import express from 'express';\nexpress().get('/ok', (q, s) => s.end());\n");
      const r = await runCli(['inventory', dir, '-f', 'json']);
      assert.equal(r.code, 0, r.stderr);
      const inv = JSON.parse(r.stdout);
      assert.deepEqual(inv.routes.map((x: { path: string }) => x.path), ['/ok']);
      const messages = inv.errors.map((e: { file: string; message: string }) => `${e.file}: ${e.message}`);
      assert.ok(messages.some((m: string) => /^src\/huge\.ts: skipped: 2\.9 MB is larger than the 2 MB limit$/.test(m)), messages.join('\n'));
      assert.ok(messages.some((m: string) => /symlink loop/.test(m)), messages.join('\n'));
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('works through the built bin (dist/cli.js)', function () {
    this.timeout(60_000);
    if (!fs.existsSync(path.join(ROOT, 'dist/cli.js'))) execFileSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs')], { cwd: ROOT });
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'inventory', SHOP, '--format', 'json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).routes.length, 4);
    const bad = spawnSync(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'scan', '/no/such/dir'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
  });
});
