import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load';

describe('config', () => {
  it('accepts a valid config', () => {
    const c = parseConfig('{"exclude": ["gen/**"], "rules": {"uninstrumented-route": "error", "pii-in-log": {"severity": "warning", "options": {"fields": ["pin"]}}}}', 'x.json');
    assert.deepEqual(c.exclude, ['gen/**']);
  });
  it('names an unknown key', () => {
    assert.throws(() => parseConfig('{"exlude": []}', 'telltale.config.json'), (e: unknown) => e instanceof ConfigError && e.message === 'telltale.config.json: exlude: unknown key');
  });
  it('names a key of the wrong type', () => {
    assert.throws(() => parseConfig('{"include": "src"}', 'c.json'), /c\.json: include: must be array/);
  });
  it('names a bad rule severity', () => {
    assert.throws(() => parseConfig('{"rules": {"x": "loud"}}', 'c.json'), /c\.json: rules\.x: /);
  });
  it('reports invalid JSON', () => {
    assert.throws(() => parseConfig('{', 'c.json'), /c\.json: not valid JSON/);
  });
  it('finds the telltale key in package.json and falls back to defaults', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-config-'));
    fs.mkdirSync(path.join(dir, '.git'));
    assert.equal(loadConfig(dir).file, undefined);
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', telltale: { exclude: ['a'] } }));
    fs.mkdirSync(path.join(dir, 'src'));
    const loaded = loadConfig(path.join(dir, 'src'));
    assert.deepEqual(loaded.config.exclude, ['a']);
    assert.equal(loaded.dir, dir);
  });
});
