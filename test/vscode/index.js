// The integration suite's entry point in the standard form: VS Code loads this file from
// `extensionTestsPath` and awaits `run()` — the same under code-server (test/vscode/run.mjs) and
// under @vscode/test-electron on a desktop. It runs test/vscode/suite/*.test.js with mocha inside
// the extension host (the real `vscode` API), prints one `[telltale-e2e] PASS|FAIL` line per test
// and writes a JSON summary to $TELLTALE_E2E_RESULTS when set.
'use strict';
const fs = require('fs');
const path = require('path');
const MochaModule = require('mocha');

const Mocha = typeof MochaModule === 'function' ? MochaModule : (MochaModule.default || MochaModule.Mocha);

function run() {
  const resultsFile = process.env.TELLTALE_E2E_RESULTS;
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 240000, reporter: 'spec', grep: process.env.TELLTALE_E2E_GREP || undefined });
  const suiteDir = path.join(__dirname, 'suite');
  for (const f of fs.readdirSync(suiteDir).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(path.join(suiteDir, f));
  const results = { started: new Date().toISOString(), node: process.version, tests: [] };
  const write = (extra) => {
    if (!resultsFile) return;
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify({ ...results, ...extra }, null, 2));
  };
  return new Promise((resolve, reject) => {
    let runner;
    try {
      runner = mocha.run((failures) => {
        const count = (s) => results.tests.filter((t) => t.state === s).length;
        write({ done: true, passed: count('passed'), failed: count('failed'), pending: count('pending') });
        console.log(`[telltale-e2e] ${count('passed')} passed, ${count('failed')} failed, ${count('pending')} skipped`);
        if (failures > 0) reject(new Error(`${failures} test(s) failed`)); else resolve();
      });
    } catch (e) {
      write({ done: true, passed: 0, failed: 1, error: String((e && e.stack) || e) });
      reject(e);
      return;
    }
    runner.on('pass', (t) => { results.tests.push({ title: t.fullTitle(), state: 'passed', ms: t.duration }); console.log(`[telltale-e2e] PASS ${t.fullTitle()} (${t.duration} ms)`); });
    runner.on('fail', (t, err) => {
      results.tests.push({ title: t.fullTitle(), state: 'failed', error: String((err && err.message) || err) });
      console.log(`[telltale-e2e] FAIL ${t.fullTitle()}: ${(err && err.stack) || err}`);
    });
    runner.on('pending', (t) => { results.tests.push({ title: t.fullTitle(), state: 'pending' }); console.log(`[telltale-e2e] SKIP ${t.fullTitle()}`); });
  });
}

module.exports = { run };
