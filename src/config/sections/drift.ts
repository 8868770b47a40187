/**
 * `telltale.config.json` → "drift": datasets to compare (files or globs), per-column overrides of
 * type, test and threshold, data-check limits, and online sources (prom-client histograms or
 * per-category counters scraped by the runtime, NDJSON feature logs). Unknown keys are rejected.
 */
const TESTS = ['ks', 'chisquare', 'z', 'wasserstein', 'jensenshannon', 'psi', 'kl_div', 'hellinger', 'ed', 'anderson', 'cramer_von_mises', 'mannw'] as const;
const LEVEL = { type: 'string', enum: ['fail', 'warn', 'off'] } as const;
const FRACTION = { type: 'number', minimum: 0, maximum: 1 } as const;
const THRESHOLD = { type: 'number', minimum: 0 } as const;
const TEST = { type: 'string', enum: TESTS } as const;
const WINDOW = {
  type: 'object',
  additionalProperties: false,
  required: ['seconds'],
  properties: {
    seconds: { type: 'number', exclusiveMinimum: 0, description: 'Window length.' },
    endsSecondsAgo: { type: 'number', minimum: 0, description: 'How long before now the window ends (0 = now).' },
  },
} as const;

const columnSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    type: { type: 'string', enum: ['numeric', 'categorical'], description: 'Override the inferred type.' },
    test: TEST,
    threshold: THRESHOLD,
    ignore: { type: 'boolean' },
    min: { type: 'number' },
    max: { type: 'number' },
    maxNullFraction: FRACTION,
    newCategories: LEVEL,
    minUniqueRatio: FRACTION,
    maxUniqueRatio: FRACTION,
  },
} as const;

const checksSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    missingColumns: LEVEL,
    extraColumns: LEVEL,
    typeChange: LEVEL,
    maxNullFraction: FRACTION,
    maxNullFractionIncrease: FRACTION,
    outOfRange: LEVEL,
    newCategories: LEVEL,
    minUniqueRatio: FRACTION,
    maxUniqueRatio: FRACTION,
  },
} as const;

const datasetSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'reference', 'current'],
  properties: {
    name: { type: 'string', minLength: 1 },
    reference: { type: 'string', minLength: 1, description: 'File or glob (CSV, NDJSON/JSONL, Parquet), relative to the config file.' },
    current: { type: 'string', minLength: 1 },
    format: { type: 'string', enum: ['csv', 'ndjson', 'parquet'] },
    field: { type: 'string', description: 'NDJSON: read this field of each line as the row (e.g. "features").' },
    driftShare: FRACTION,
    test: TEST,
    numTest: TEST,
    catTest: TEST,
    threshold: THRESHOLD,
    numThreshold: THRESHOLD,
    catThreshold: THRESHOLD,
    columns: { type: 'object', additionalProperties: columnSchema },
    checks: checksSchema,
  },
} as const;

const onlineSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['dataset', 'kind'],
  properties: {
    dataset: { type: 'string', minLength: 1 },
    kind: { type: 'string', enum: ['histogram', 'counter', 'log'] },
    metric: { type: 'string', description: 'histogram: base name of a prom-client histogram labelled by feature; counter: a counter labelled by feature and category.' },
    featureLabel: { type: 'string', description: 'Label holding the feature name (default "feature").' },
    categoryLabel: { type: 'string', description: 'counter: label holding the category (default "category").' },
    features: { type: 'array', items: { type: 'string' }, description: 'Only these features (default: all seen).' },
    path: { type: 'string', description: 'log: NDJSON file (or glob) to tail.' },
    field: { type: 'string', description: 'log: field of each line holding the features (default "features").' },
    referenceWindow: WINDOW,
    currentWindow: WINDOW,
    test: { type: 'string', enum: ['psi', 'jensenshannon'] },
    threshold: THRESHOLD,
  },
} as const;

export const driftSchema = {
  type: 'object',
  description: 'Drift reports and data checks.',
  additionalProperties: false,
  properties: {
    driftShare: FRACTION,
    refreshSeconds: { type: 'number', exclusiveMinimum: 0 },
    datasets: { type: 'array', items: datasetSchema },
    checks: checksSchema,
    online: { type: 'array', items: onlineSchema },
  },
} as const;

type Level = 'fail' | 'warn' | 'off';
type Test = (typeof TESTS)[number];

export interface DriftColumnConfig {
  type?: 'numeric' | 'categorical'; test?: Test; threshold?: number; ignore?: boolean;
  min?: number; max?: number; maxNullFraction?: number; newCategories?: Level; minUniqueRatio?: number; maxUniqueRatio?: number;
}
export interface DriftChecksConfig {
  missingColumns?: Level; extraColumns?: Level; typeChange?: Level; maxNullFraction?: number; maxNullFractionIncrease?: number;
  outOfRange?: Level; newCategories?: Level; minUniqueRatio?: number; maxUniqueRatio?: number;
}
export interface DriftDatasetConfig {
  name: string; reference: string; current: string; format?: 'csv' | 'ndjson' | 'parquet'; field?: string;
  driftShare?: number; test?: Test; numTest?: Test; catTest?: Test; threshold?: number; numThreshold?: number; catThreshold?: number;
  columns?: Record<string, DriftColumnConfig>; checks?: DriftChecksConfig;
}
export interface DriftWindowConfig { seconds: number; endsSecondsAgo?: number }
export interface DriftOnlineConfig {
  dataset: string; kind: 'histogram' | 'counter' | 'log'; metric?: string; featureLabel?: string; categoryLabel?: string;
  features?: string[]; path?: string; field?: string; referenceWindow?: DriftWindowConfig; currentWindow?: DriftWindowConfig;
  test?: 'psi' | 'jensenshannon'; threshold?: number;
}
/** The parsed `drift` section. */
export interface DriftSectionConfig {
  driftShare?: number;
  refreshSeconds?: number;
  datasets?: DriftDatasetConfig[];
  checks?: DriftChecksConfig;
  online?: DriftOnlineConfig[];
}
