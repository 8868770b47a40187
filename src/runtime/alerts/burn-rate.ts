/**
 * Burn-rate arithmetic of multiwindow, multi-burn-rate SLO alerts (Google SRE workbook, ch. 5,
 * "Alerting on SLOs"), pure: the burn rate of a window is its bad-event ratio divided by the error
 * budget (1 − objective); a window pair fires when both its long and its short window burn faster
 * than the pair's factor. 14.4× over 1h spends 2% of a 30-day budget; 6× over 6h spends 5%.
 */
import type { BurnRateWindowState } from '../../protocol/alerts';
import type { BurnRateWindow } from './rules';

/** Bad and total events of one window (increase of the counters). */
export interface WindowCounts { bad: number; total: number }

/** bad/total ÷ (1 − objective); null without events (or fewer than `minRequests`). */
export function burnRate(counts: WindowCounts | undefined, objective: number, minRequests = 0): number | null {
  if (!counts || !(counts.total > 0) || counts.total < minRequests) return null;
  const ratio = Math.min(1, Math.max(0, counts.bad / counts.total));
  return ratio / (1 - objective);
}

/** The share of a 30-day (or any) budget a burn rate spends over `windowMs` of a `periodMs` SLO period. */
export function budgetSpent(rate: number, windowMs: number, periodMs = 30 * 86_400_000): number {
  return (rate * windowMs) / periodMs;
}

/** Every window pair with its burn rates; `counts` holds the counts per window length (ms). */
export function burnRateWindows(windows: readonly BurnRateWindow[], counts: ReadonlyMap<number, WindowCounts>, objective: number, minRequests = 0): BurnRateWindowState[] {
  return windows.map((w) => {
    const longBurnRate = burnRate(counts.get(w.longMs), objective, minRequests);
    const shortBurnRate = burnRate(counts.get(w.shortMs), objective, minRequests);
    return {
      longSeconds: w.longMs / 1000,
      shortSeconds: w.shortMs / 1000,
      factor: w.factor,
      longBurnRate,
      shortBurnRate,
      firing: longBurnRate !== null && shortBurnRate !== null && longBurnRate > w.factor && shortBurnRate > w.factor,
    };
  });
}

/**
 * The value an SLO alert reports: the long-window burn rate of the first firing pair, else the
 * highest long-window burn rate seen (null when no window had events).
 */
export function reportedBurnRate(states: readonly BurnRateWindowState[]): number | null {
  const firing = states.find((s) => s.firing);
  if (firing) return firing.longBurnRate;
  const rates = states.map((s) => s.longBurnRate).filter((r): r is number => r !== null);
  return rates.length ? Math.max(...rates) : null;
}
