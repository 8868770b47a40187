/** Shared by scan, inventory and fix: where to scan, with which config, and progress on a TTY. */
import fs from 'node:fs';
import path from 'node:path';
import { Analyzer } from '../analysis/analyze';
import { ConfigError, loadConfig, type LoadedConfig } from '../config/load';
import type { CliIO } from './io';
import { UsageError } from './io';

export interface ScanTarget { root: string; paths: string[]; config: LoadedConfig }

/**
 * One directory → it is the root (paths in the output are relative to it). Several paths or
 * files → the current directory is the root. A missing path is a usage error naming it.
 */
export function resolveTarget(positionals: string[], io: CliIO, configFile?: string): ScanTarget {
  const inputs = positionals.length ? positionals : ['.'];
  for (const p of inputs) if (!fs.existsSync(path.resolve(io.cwd, p))) throw new UsageError(`no such file or directory: ${p}`);
  let root = io.cwd;
  let paths = inputs;
  if (inputs.length === 1 && fs.statSync(path.resolve(io.cwd, inputs[0])).isDirectory()) {
    root = path.resolve(io.cwd, inputs[0]);
    paths = ['.'];
  }
  let config: LoadedConfig;
  try {
    config = loadConfig(configFile ? io.cwd : root, configFile);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  return { root, paths, config };
}

export function loadAnalyzer(target: ScanTarget, io: CliIO, includeTests = false): Analyzer {
  const tty = !!io.stderr.isTTY;
  const started = Date.now();
  const analyzer = Analyzer.load(target.root, {
    paths: target.paths,
    include: target.config.config.include,
    exclude: target.config.config.exclude,
    includeTests,
    onProgress: tty ? (n) => { if (Date.now() - started > 300) io.stderr.write(`\rtelltale: reading files… ${n}`); } : undefined,
  });
  if (tty && Date.now() - started > 300) io.stderr.write('\r\x1b[K');
  return analyzer;
}
