import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli';
import { RULES } from '../../src/analysis/rules';
import { FIXES } from '../../src/fixes';

describe('telltale rules', () => {
  it('lists every rule with its fixes (json)', async () => {
    const r = await runCli(['rules', '--format', 'json']);
    assert.equal(r.code, 0);
    const { rules } = JSON.parse(r.stdout) as { rules: Array<{ id: string; fixes: string[]; docs: string }> };
    assert.deepEqual(rules.map((x) => x.id), RULES.map((x) => x.id));
    const route = rules.find((x) => x.id === 'uninstrumented-route')!;
    assert.ok(route.fixes.includes('add-route-metrics') && route.fixes.includes('add-app-metrics'));
    assert.match(route.docs, /docs\/rules\/uninstrumented-route\.md$/);
  });

  it('text output has one line per rule', async () => {
    const r = await runCli(['rules']);
    for (const rule of RULES) assert.match(r.stdout, new RegExp(`^${rule.id} `, 'm'));
  });

  it('rules and fixes name each other consistently', () => {
    for (const fix of FIXES) for (const id of fix.for) assert.ok(RULES.some((r) => r.id === id), `fix ${fix.id} is for unknown rule ${id}`);
    for (const rule of RULES) for (const id of rule.fixes ?? []) {
      const fix = FIXES.find((f) => f.id === id);
      if (fix) assert.ok(fix.for.includes(rule.id), `rule ${rule.id} names fix ${id}, which is not for it`);
    }
  });
});
