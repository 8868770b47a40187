/**
 * Debian's Chromium driven by playwright-core (no browser download): headless, sandbox off (CI
 * containers), every background service off, a fresh profile, and every request that is not to
 * 127.0.0.1 aborted — the dashboard must work with nothing but its own origin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export function chromiumExecutable(): string | undefined {
  return ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => fs.existsSync(p));
}

export interface Browser { context: BrowserContext; blocked: string[]; close(): Promise<void> }

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumExecutable();
  if (!executablePath) throw new Error('Chromium not found: install the Debian package `chromium` (apt install chromium)');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost',
    ],
  });
  const blocked: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' && (url.protocol === 'http:' || url.protocol === 'ws:')) return route.continue();
    blocked.push(url.href);
    return route.abort();
  });
  return {
    context, blocked,
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
