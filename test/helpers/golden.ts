/** Golden files: compare, or rewrite with UPDATE_GOLDENS=1 (then review the diff). CI never writes. */
import assert from 'node:assert/strict';
import fs from 'node:fs';

export function checkGolden(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDENS === '1' && !process.env.CI) {
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `missing golden ${file} (run npm run test:update and review it)`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `output differs from ${file}`);
}
