/**
 * Observability for the shop: Prometheus metrics (prom-client) and structured logs (pino).
 * Some routes use it and some do not — Telltale finds the gaps.
 */
import { Counter, Histogram, collectDefaultMetrics, register } from 'prom-client';
import pino from 'pino';

collectDefaultMetrics();

export const registry = register;

export const logger = pino({ level: process.env.LOG_LEVEL ?? 'info' });

/** RED: request duration by method, route template and status code. */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration in seconds',
  labelNames: ['method', 'route', 'status_code'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
});

/** RED: requests by method, route template and status code. */
export const httpRequestsTotal = new Counter({
  name: 'http_requests_total',
  help: 'HTTP requests',
  labelNames: ['method', 'route', 'status_code'] as const,
});

/** Batch jobs: runs by outcome and duration. */
export const jobRunsTotal = new Counter({ name: 'job_runs_total', help: 'Job runs by outcome', labelNames: ['job', 'status'] as const });
export const jobDurationSeconds = new Histogram({ name: 'job_duration_seconds', help: 'Job run duration in seconds', labelNames: ['job'] as const, buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60] });
export const rowsProcessedTotal = new Counter({ name: 'rows_processed_total', help: 'Rows processed by jobs', labelNames: ['job'] as const });

/** The model's input features as they arrive, for online drift detection (one series per feature). */
export const modelFeatureValue = new Histogram({
  name: 'model_feature_value',
  help: 'Values of the scoring model input features',
  labelNames: ['feature'] as const,
  buckets: [10, 20, 30, 40, 50, 60, 70, 80, 100, 150, 200, 300, 500, 1000],
});
