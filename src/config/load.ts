/**
 * Finds, reads and validates Telltale's configuration. A config error names the file and the key
 * (`telltale.config.json: runtime.targets[0].url: must be string`) and is thrown as ConfigError;
 * callers turn it into exit code 2 (CLI) or one error message (extension).
 */
import Ajv, { type ErrorObject } from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { CONFIG_SCHEMA } from './schema';

export const CONFIG_FILE = 'telltale.config.json';

// The shape below is deliberately loose per section; each area narrows its own section.
export interface TelltaleConfig {
  include?: string[];
  exclude?: string[];
  rules?: Record<string, 'off' | 'error' | 'warning' | 'info' | { severity?: 'off' | 'error' | 'warning' | 'info'; options?: Record<string, unknown> }>;
  runtime?: Record<string, unknown>;
  drift?: Record<string, unknown>;
  fixes?: { observabilityModule?: string };
}

export interface LoadedConfig {
  config: TelltaleConfig;
  /** The file it came from, or undefined when none was found (defaults apply). */
  file?: string;
  /** The directory paths in the config are relative to. */
  dir: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly file: string, readonly key: string, detail: string) {
    super(`${file}: ${key ? key + ': ' : ''}${detail}`);
  }
}

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(CONFIG_SCHEMA);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

function keyOf(err: ErrorObject): string {
  const parts = err.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (err.keyword === 'additionalProperties') parts.push(String((err.params as { additionalProperty: string }).additionalProperty));
  let key = '';
  for (const p of parts) key += /^\d+$/.test(p) ? `[${p}]` : key ? `.${p}` : p;
  return key;
}

function describe(err: ErrorObject): string {
  if (err.keyword === 'additionalProperties') return 'unknown key';
  if (err.keyword === 'enum') return `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return err.message ?? 'invalid';
}

/** Validates a parsed config object; throws ConfigError naming the first offending key. */
export function validateConfig(value: unknown, file: string): TelltaleConfig {
  const errors = validate(value);
  if (errors.length) {
    // Prefer the most specific error (oneOf reports its branches and then itself).
    const best = errors.find((e) => e.keyword !== 'oneOf') ?? errors[0];
    throw new ConfigError(file, keyOf(best), describe(best));
  }
  return value as TelltaleConfig;
}

/** Parses config text (JSON) and validates it. */
export function parseConfig(text: string, file: string): TelltaleConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, '', `not valid JSON (${(err as Error).message})`);
  }
  return validateConfig(value, file);
}

/**
 * Looks for telltale.config.json, then a `telltale` key in package.json, in `start` and its
 * parents (stopping at a .git folder). An explicit `file` must exist.
 */
export function loadConfig(start: string, file?: string): LoadedConfig {
  if (file) {
    const abs = path.resolve(start, file);
    if (!fs.existsSync(abs)) throw new ConfigError(file, '', 'no such file');
    return { config: parseConfig(fs.readFileSync(abs, 'utf8'), file), file: abs, dir: path.dirname(abs) };
  }
  let dir = path.resolve(start);
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  for (;;) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (fs.existsSync(candidate)) return { config: parseConfig(fs.readFileSync(candidate, 'utf8'), candidate), file: candidate, dir };
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      let json: { telltale?: unknown } | undefined;
      try { json = JSON.parse(fs.readFileSync(pkg, 'utf8')); } catch { json = undefined; }
      if (json && typeof json === 'object' && json.telltale !== undefined) {
        return { config: validateConfig(json.telltale, `${pkg} (telltale)`), file: pkg, dir };
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir || fs.existsSync(path.join(dir, '.git'))) return { config: {}, dir: path.resolve(start) };
    dir = parent;
  }
}
