/**
 * Automatic instrumentation: OpenTelemetry's NodeSDK / registerInstrumentations with HTTP or
 * framework instrumentations, dd-trace, New Relic, Elastic APM — started in the code, or preloaded
 * with `--require`/`-r`/`--import` in package.json scripts, Dockerfiles or bin scripts.
 * When a project has it, every route it did not find covered otherwise is `auto`.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Project } from './project';

const AGENT_MODULES = ['dd-trace', 'newrelic', 'elastic-apm-node', '@elastic/apm-node', '@splunk/otel', 'appdynamics', '@instana/collector', '@sentry/opentelemetry-node', '@vercel/otel', '@highlight-run/node', '@honeycombio/opentelemetry-node',
  // vendor OpenTelemetry distributions / agents that trace incoming HTTP by default
  '@azure/monitor-opentelemetry', 'applicationinsights', '@google-cloud/trace-agent'];
const OTEL_AUTO = /^@opentelemetry\/(auto-instrumentations-node|instrumentation-(http|express|fastify|koa|hapi|nestjs-core|undici|router))/;
const PRELOAD = /(?:--require|-r|--import|--loader)[= ]+["']?([^\s"']+)/g;

export interface AutoInstrumentation { by: string }

export function detectAutoInstrumentation(project: Project): AutoInstrumentation | undefined {
  for (const file of project.files.values()) {
    for (const m of file.importedModules) {
      if (OTEL_AUTO.test(m)) {
        // importing an instrumentation is not enough when it is never registered/started
        const registered = file.callsByName.has('registerInstrumentations') || file.newExpressions.some((n) => /NodeSDK|NodeTracerProvider/.test(n.expression.getText(file.sf))) ||
          file.callsByName.has('start') || file.callsByName.has('getNodeAutoInstrumentations');
        if (registered) return { by: `${m} in ${file.rel}` };
      }
      if (AGENT_MODULES.includes(m)) {
        if (m !== 'dd-trace' || file.callsByName.has('init') || /require\(['"]dd-trace\/init['"]\)/.test(file.sf.text)) return { by: `${m} in ${file.rel}` };
      }
      if (m === 'dd-trace/init' || m === 'newrelic' || m === '@opentelemetry/auto-instrumentations-node/register') return { by: `${m} in ${file.rel}` };
    }
  }
  // Preloads in package.json scripts, Dockerfiles, Procfiles and shell scripts next to the sources
  const candidates = new Set<string>();
  const dirs = new Set<string>([project.root]);
  for (const f of project.files.values()) dirs.add(path.dirname(f.abs));
  for (const dir of [...dirs].slice(0, 200)) {
    for (const name of ['package.json', 'Dockerfile', 'Procfile', 'docker-compose.yml', 'start.sh', 'entrypoint.sh']) candidates.add(path.join(dir, name));
  }
  for (const c of candidates) {
    let text: string;
    try { text = fs.readFileSync(c, 'utf8'); } catch { continue; }
    if (text.length > 512 * 1024) continue;
    for (const m of text.matchAll(PRELOAD)) {
      const target = m[1];
      if (OTEL_AUTO.test(target) || AGENT_MODULES.some((a) => target.startsWith(a)) || target.startsWith('dd-trace')) return { by: `${target} preloaded in ${path.relative(project.root, c) || c}` };
      if (target.startsWith('.')) {
        const preloaded = project.resolveModule(target, c);
        if (preloaded && [...preloaded.importedModules].some((x) => OTEL_AUTO.test(x) || AGENT_MODULES.includes(x) || x === '@opentelemetry/sdk-node')) {
          return { by: `${preloaded.rel} preloaded in ${path.relative(project.root, c) || c}` };
        }
      }
    }
    if (/OTEL_NODE_ENABLED_INSTRUMENTATIONS|NODE_OPTIONS=.*(--require|--import)\s+@opentelemetry\/auto-instrumentations-node/.test(text)) return { by: `auto-instrumentation configured in ${path.relative(project.root, c)}` };
  }
  return undefined;
}
