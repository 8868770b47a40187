/** `telltale.config.json` → "runtime": the local runtime (targets to scrape, port, limits). */
const duration = {
  type: ['number', 'string'],
  pattern: '^\\d+(\\.\\d+)?(ms|s|m|h)?$',
  minimum: 0.1,
  description: 'Seconds as a number, or a duration string: "500ms", "5s", "1m", "1h".',
} as const;

export const runtimeSchema = {
  type: 'object',
  description: 'The local runtime: what it scrapes and where it listens.',
  additionalProperties: false,
  properties: {
    host: { type: 'string', description: 'Address the API binds. Default 127.0.0.1; anything else exposes the API beyond this machine (a warning is printed).' },
    port: { type: 'integer', minimum: 0, maximum: 65535, description: 'API port; 0 (default) picks a free one, printed at start.' },
    targets: {
      type: 'array',
      description: 'Prometheus endpoints to scrape.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['url'],
        properties: {
          url: { type: 'string', pattern: '^https?://', description: 'The /metrics URL, e.g. http://127.0.0.1:3000/metrics.' },
          name: { type: 'string', minLength: 1, description: 'Display name; default host:port.' },
          interval: { ...duration, description: 'Scrape interval (default: scrapeInterval).' },
        },
      },
    },
    scrapeInterval: { ...duration, description: 'Default scrape interval (default 5s).' },
    scrapeTimeout: { ...duration, description: 'Per-scrape timeout (default: the interval, at most 10s).' },
    window: { ...duration, description: 'Window of the RED views (rate, error ratio, quantiles). Default 1m.' },
    jobWindow: { ...duration, description: 'Window of the job views. Default 1h.' },
    retention: { ...duration, description: 'How long samples are kept. Default 1h.' },
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: {
        maxSamplesPerSeries: { type: 'integer', minimum: 2, description: 'Samples kept per series (default 720).' },
        maxSeries: { type: 'integer', minimum: 1, description: 'Series kept in total (default 100000; memory is about 14 bytes per sample plus 1–2 KB per series); new series beyond it are refused and reported per target.' },
        maxSeriesPerTarget: { type: 'integer', minimum: 1, description: 'Series kept per target (default 50000).' },
        maxBodyBytes: { type: 'integer', minimum: 1024, description: 'Largest scrape body after decoding (default 52428800, 50 MB).' },
      },
    },
    prometheus: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      description: 'Compute the views from a Prometheus server instead of scraping locally.',
      properties: {
        url: { type: 'string', pattern: '^https?://', description: 'Base URL, e.g. http://127.0.0.1:9090.' },
        step: { ...duration, description: 'Step of range queries (default 15s; use the scrape interval).' },
        refresh: { ...duration, description: 'How often the views are recomputed and pushed (default 5s).' },
      },
    },
    inventory: { type: 'string', description: 'Inventory JSON (`telltale inventory --format json`) or a folder holding inventory.json / .telltale/inventory.json, to link series to code.' },
    log: {
      type: 'object',
      additionalProperties: false,
      properties: {
        level: { enum: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] },
        file: { type: 'string', description: 'Write logs (pino JSON lines) to this file instead of stderr.' },
      },
    },
    driftRefresh: { ...duration, description: 'How often drift reports are refreshed (default 60s).' },
  },
} as const;
