/** The extension manifest is consistent: every command a menu, walkthrough or view refers to exists. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('extension manifest', () => {
  const commands = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));

  it('walkthrough steps link to real commands and existing media', () => {
    const walkthrough = pkg.contributes.walkthroughs?.[0];
    assert.ok(walkthrough, 'a walkthrough for first-time users');
    assert.ok(walkthrough.steps.length >= 4);
    for (const step of walkthrough.steps) {
      for (const m of (step.description as string).matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commands.has(m[1]), `${step.id}: unknown command ${m[1]}`);
      for (const ev of step.completionEvents ?? []) if (ev.startsWith('onCommand:')) assert.ok(commands.has(ev.slice(10)), `${step.id}: unknown command in ${ev}`);
      assert.ok(fs.existsSync(path.join(ROOT, step.media.markdown)), `${step.id}: missing ${step.media.markdown}`);
    }
  });

  it('the walkthrough covers scan, fix, runtime and dashboard', () => {
    const ids = pkg.contributes.walkthroughs[0].steps.map((s: { id: string }) => s.id);
    for (const id of ['scan', 'fix', 'runtime', 'dashboard']) assert.ok(ids.includes(id), id);
  });

  it('commands shown in menus exist', () => {
    for (const items of Object.values(pkg.contributes.menus ?? {}) as Array<Array<{ command?: string }>>) {
      for (const item of items) if (item.command) assert.ok(commands.has(item.command), `menu refers to unknown ${item.command}`);
    }
  });
});
