/** Shared helpers of the runtime tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';

type LogFn = (obj: object, msg?: string) => void;
const noop: LogFn = () => {};
export const silentLogger: { info: LogFn; warn: LogFn; error: LogFn; debug: LogFn } = { info: noop, warn: noop, error: noop, debug: noop };

/** A logger that records messages, to assert on warnings. */
export function recordingLogger(): typeof silentLogger & { lines: { level: string; obj: object; msg?: string }[] } {
  const lines: { level: string; obj: object; msg?: string }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => { lines.push({ level, obj, msg }); };
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}

export function tmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function getJson<T = unknown>(url: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body: unknown = text;
  try { body = JSON.parse(text); } catch { /* text */ }
  return { status: res.status, body: body as T };
}

/** Reads an SSE stream until `count` events of `type` arrived (bounded by `timeoutMs`). */
export async function readEvents(url: string, type: string, count: number, timeoutMs: number, onOpen?: () => Promise<void> | void): Promise<unknown[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const events: unknown[] = [];
  try {
    const res = await fetch(url, { signal: ac.signal });
    if (res.status !== 200) throw new Error(`SSE status ${res.status}`);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    const opened = onOpen?.();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (ev === type && data) events.push(JSON.parse(data));
      }
      if (events.length >= count) break;
    }
    await opened;
    ac.abort();
    return events;
  } finally {
    clearTimeout(timer);
  }
}

/** A writable that collects what pino writes. */
export function collect(): { stream: Writable; text(): string } {
  let s = '';
  return { stream: new Writable({ write(chunk, _enc, cb) { s += String(chunk); cb(); } }), text: () => s };
}
