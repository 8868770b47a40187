/**
 * Delivery of notifications, one queue per notifier, never in the way of evaluation:
 *
 * - Deduplication: per (notifier, fingerprint) the last delivered status and time. A firing alert
 *   is sent when it starts firing and again after the repeat interval (Alertmanager: every minute,
 *   as it expects); a resolved one once, if its firing was delivered.
 * - An alert is marked as delivered only after its batch got through, so a receiver that was down
 *   gets the alerts on a later evaluation (with the retries of each attempt in between).
 * - At most one request in flight per notifier; batches queue behind it (bounded: the oldest is
 *   dropped and counted when full). Alerts already queued or in flight are not queued again.
 * - State per notifier (idle / ok / failing, last error, counts) for /api/alerts.
 */
import type { AlertInstance, NotifierState } from '../../protocol/alerts';
import type { Notifier, NotificationBatch } from './notifiers/index';
import { SEVERITY_RANK } from './rules';

export interface DispatchLogger { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void }

interface Sent { status: 'firing' | 'resolved'; at: number }

class NotifierQueue {
  readonly sent = new Map<string, Sent>();
  /** fingerprint → status of the alerts queued or in flight. */
  readonly outstanding = new Map<string, 'firing' | 'resolved'>();
  private readonly queue: NotificationBatch[] = [];
  private running: Promise<void> | undefined;
  state: NotifierState;

  constructor(readonly notifier: Notifier, private readonly logger: DispatchLogger | undefined, private readonly maxQueue: number,
    private readonly signal: AbortSignal, private readonly onResult: (ok: boolean) => void, private readonly now: () => number) {
    this.state = { name: notifier.name, type: notifier.type, state: 'idle', target: notifier.target, sent: 0, failed: 0, dropped: 0, queued: 0 };
  }

  enqueue(batch: NotificationBatch): void {
    if (this.queue.length >= this.maxQueue) {
      const old = this.queue.shift()!;
      for (const a of old.alerts) this.outstanding.delete(a.fingerprint);
      this.state.dropped++;
      this.logger?.warn({ notifier: this.notifier.name, alerts: old.alerts.length }, 'notification queue full: dropped the oldest batch');
    }
    for (const a of batch.alerts) this.outstanding.set(a.fingerprint, a.status === 'resolved' ? 'resolved' : 'firing');
    this.queue.push(batch);
    this.state.queued = this.queue.length;
    this.running ??= this.drain();
  }

  get busy(): boolean { return this.running !== undefined; }

  private async drain(): Promise<void> {
    // `running` is cleared in the same synchronous step that finds the queue empty, so a batch
    // queued later always starts a new drain.
    try {
      for (let batch = this.queue.shift(); batch; batch = this.queue.shift()) await this.deliverOne(batch);
    } finally {
      this.running = undefined;
      this.state.queued = 0;
    }
  }

  private async deliverOne(batch: NotificationBatch): Promise<void> {
    this.state.queued = this.queue.length;
    this.state.lastAttempt = this.now();
    try {
      await this.notifier.deliver(batch, this.signal);
      this.state.state = 'ok';
      this.state.lastSuccess = this.now();
      this.state.sent++;
      if (!batch.test) for (const a of batch.alerts) this.sent.set(a.fingerprint, { status: a.status === 'resolved' ? 'resolved' : 'firing', at: batch.at });
      this.onResult(true);
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      this.state.state = 'failing';
      this.state.failed++;
      this.state.lastError = { message, at: this.now() };
      this.onResult(false);
      this.logger?.warn({ notifier: this.notifier.name, err: message }, 'notification failed');
    } finally {
      for (const a of batch.alerts) this.outstanding.delete(a.fingerprint);
    }
  }

  idle(): Promise<void> { return this.running ?? Promise.resolve(); }

  /** Delivers one batch now, outside deduplication (test notifications); resolves with the error, if any. */
  async sendNow(batch: NotificationBatch): Promise<string | undefined> {
    const before = this.state.failed;
    this.enqueue(batch);
    while (this.running) await this.running;
    return this.state.failed > before ? this.state.lastError?.message : undefined;
  }
}

export interface DispatchOptions {
  repeatIntervalMs: number;
  /** Which notifiers a rule goes to (undefined = all). */
  notifiersOf: (rule: string) => readonly string[] | undefined;
  logger?: DispatchLogger;
  maxQueue?: number;
  onResult?: (notifier: string, ok: boolean) => void;
  /** Clock of the notifier states (last attempt, success, error). */
  now?: () => number;
}

export class Dispatcher {
  private readonly queues: NotifierQueue[];
  private readonly ac = new AbortController();

  constructor(notifiers: readonly Notifier[], private readonly options: DispatchOptions) {
    const now = options.now ?? Date.now;
    this.queues = notifiers.map((n) => new NotifierQueue(n, options.logger, options.maxQueue ?? 20, this.ac.signal, (ok) => options.onResult?.(n.name, ok), now));
  }

  /**
   * After an evaluation: queues, per notifier, the firing alerts due (new, or due for repeat) and
   * the resolved ones whose firing it delivered. Returns the number of batches queued.
   */
  dispatch(at: number, firing: readonly AlertInstance[], resolved: readonly AlertInstance[], externalURL?: string): number {
    let batches = 0;
    for (const q of this.queues) {
      const { config } = q.notifier;
      const wants = (a: AlertInstance): boolean => {
        const list = this.options.notifiersOf(a.rule);
        if (list && !list.includes(q.notifier.name)) return false;
        return !config.minSeverity || SEVERITY_RANK[a.severity] >= SEVERITY_RANK[config.minSeverity];
      };
      const repeat = q.notifier.resendMs !== undefined ? Math.min(q.notifier.resendMs, this.options.repeatIntervalMs) : this.options.repeatIntervalMs;
      const due: AlertInstance[] = [];
      for (const a of firing) {
        if (!wants(a) || q.outstanding.has(a.fingerprint)) continue;
        const s = q.sent.get(a.fingerprint);
        if (!s || s.status !== 'firing' || at - s.at >= repeat) due.push({ ...a }); // a snapshot: the live one changes
      }
      const firingNow = new Set(firing.map((a) => a.fingerprint));
      for (const a of resolved) {
        // The newest resolved instance of a fingerprint only, and not while it fires again.
        if (firingNow.has(a.fingerprint) || q.outstanding.get(a.fingerprint) === 'resolved') continue;
        const s = q.sent.get(a.fingerprint);
        if (s?.status !== 'firing' || !wants(a)) continue;
        if (q.notifier.config.sendResolved) due.push(a);
        else q.sent.delete(a.fingerprint);
        firingNow.add(a.fingerprint);
      }
      if (due.length) { q.enqueue({ at, alerts: due, externalURL }); batches++; }
      // Forget deliveries of alerts that are gone (resolved and delivered, or no longer listed).
      if (q.sent.size > 1000) {
        const known = new Set([...firing, ...resolved].map((a) => a.fingerprint));
        for (const fp of q.sent.keys()) if (!known.has(fp)) q.sent.delete(fp);
      }
    }
    return batches;
  }

  /** Sends a test batch through the named notifiers (all when empty); per notifier the error or undefined. */
  async test(batch: NotificationBatch, names?: readonly string[]): Promise<{ name: string; error?: string }[]> {
    const chosen = this.queues.filter((q) => !names?.length || names.includes(q.notifier.name));
    return Promise.all(chosen.map(async (q) => ({ name: q.notifier.name, error: await q.sendNow({ ...batch, test: true }) })));
  }

  states(): NotifierState[] { return this.queues.map((q) => ({ ...q.state })); }

  /** Resolves when every queue is empty (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queues.some((q) => q.busy)) await Promise.all(this.queues.map((q) => q.idle()));
  }

  /** Stops retries and waits for the requests in flight (each bounded by its timeout). */
  async close(): Promise<void> {
    this.ac.abort();
    await Promise.all(this.queues.map((q) => q.idle()));
  }
}
