/**
 * JSON POST with a timeout per attempt and retries with exponential backoff, for the network
 * notifiers. Retried: network errors, timeouts, 408, 429 (honouring Retry-After, capped) and 5xx.
 * Not retried: other 4xx (the payload or the URL is wrong; retrying would not help).
 */
export type PostFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: 'error' }) => Promise<{
  ok: boolean; status: number; headers: { get(name: string): string | null }; text(): Promise<string>;
}>;

export interface PostOptions {
  timeoutMs: number;
  retries: number;
  headers?: Record<string, string>;
  fetch?: PostFetch;
  /** First backoff (default 250 ms), doubled per retry, at most `maxBackoffMs` (default 5 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Aborts retries (runtime shutdown). */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(message: string, readonly retryable: boolean, readonly status?: number, readonly retryAfterMs?: number) { super(message); }
}

/** Hides the secret part of a URL for display: Slack's webhook path, user:password, query. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const shownPath = u.hostname === 'hooks.slack.com' || /\/services\//.test(u.pathname) ? u.pathname.split('/').slice(0, 3).join('/') + '/…' : u.pathname;
    return `${u.protocol}//${u.host}${shownPath}${u.search ? '?…' : ''}`;
  } catch {
    return '(invalid URL)';
  }
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> => new Promise((resolve) => {
  const t = setTimeout(resolve, ms);
  signal?.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

function retryAfter(h: string | null): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(h);
  return Number.isFinite(d) ? Math.max(0, d - Date.now()) : undefined;
}

/** One attempt. */
async function attempt(url: string, body: string, o: PostOptions): Promise<string> {
  const f: PostFetch = o.fetch ?? (globalThis.fetch as unknown as PostFetch);
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), o.timeoutMs);
  const onAbort = () => ac.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const res = await f(url, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'telltale-runtime', ...o.headers }, body, signal: ac.signal, redirect: 'error' });
    const text = await res.text().catch(() => '');
    if (res.ok) return text;
    const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    throw new DeliveryError(`HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`, retryable, res.status, retryAfter(res.headers.get('retry-after')));
  } catch (err) {
    if (err instanceof DeliveryError) throw err;
    if (ac.signal.aborted && !o.signal?.aborted) throw new DeliveryError(`no answer within ${o.timeoutMs} ms (timeout)`, true);
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const code = e.cause?.code;
    const detail = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ECONNRESET' ? 'connection reset' : code === 'ENOTFOUND' ? 'host not found' : e.cause?.message ?? e.message;
    throw new DeliveryError(detail, !o.signal?.aborted);
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}

/** POSTs `payload` as JSON; resolves with the response text, or throws the last DeliveryError (with the attempts counted). */
export async function postJson(url: string, payload: unknown, o: PostOptions): Promise<string> {
  const body = JSON.stringify(payload);
  const sleep = o.sleep ?? defaultSleep;
  let backoff = o.backoffMs ?? 250;
  const maxBackoff = o.maxBackoffMs ?? 5000;
  for (let i = 0; ; i++) {
    try {
      return await attempt(url, body, o);
    } catch (err) {
      const e = err as DeliveryError;
      if (!e.retryable || i >= o.retries || o.signal?.aborted) {
        if (i > 0) e.message = `${e.message} (after ${i + 1} attempts)`;
        throw e;
      }
      await sleep(Math.min(maxBackoff * 2, Math.max(backoff, e.retryAfterMs ?? 0)), o.signal);
      backoff = Math.min(maxBackoff, backoff * 2);
    }
  }
}
