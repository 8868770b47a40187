/**
 * Generates a realistic TypeScript service for the analysis benchmark: Express routers mounted
 * across files, services, repositories, utilities, a few prom-client metrics, jobs, and plenty of
 * ordinary code (classes, generics, async functions) so parsing dominates like in real apps.
 * Deterministic for a given file count.
 */
import fs from 'node:fs';
import path from 'node:path';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
}

export function generateProject(dir: string, files: number): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const rand = rng(42);
  const write = (rel: string, text: string) => {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  };
  write('package.json', JSON.stringify({ name: 'bench-shop', private: true, dependencies: { express: '^5', 'prom-client': '^15', 'node-cron': '^3' } }));
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', esModuleInterop: true, outDir: 'dist' }, include: ['src'] }));
  const routers = Math.max(1, Math.floor(files * 0.2));
  const services = Math.max(1, Math.floor(files * 0.3));
  const utils = Math.max(1, files - routers - services - 3);
  write('src/metrics.ts', `import { Counter, Histogram } from 'prom-client';
export const httpRequests = new Counter({ name: 'http_requests_total', help: 'Requests', labelNames: ['method', 'route', 'status_code'] });
export const httpDuration = new Histogram({ name: 'http_request_duration_seconds', help: 'Duration', labelNames: ['method', 'route', 'status_code'] });
`);
  const appImports: string[] = [];
  const appMounts: string[] = [];
  for (let i = 0; i < routers; i++) {
    appImports.push(`import router${i} from './routes/r${i}';`);
    appMounts.push(`app.use('/api/v${i % 3}/res${i}', router${i});`);
  }
  write('src/app.ts', `import express from 'express';\n${appImports.join('\n')}\nconst app = express();\napp.use(express.json());\n${appMounts.join('\n')}\napp.listen(3000);\nexport default app;\n`);
  for (let i = 0; i < routers; i++) {
    const svc = Math.floor(rand() * services);
    const instrumented = rand() < 0.3;
    write(`src/routes/r${i}.ts`, `import { Router, type Request, type Response } from 'express';
import { Service${svc} } from '../services/s${svc}';
${instrumented ? "import { httpRequests } from '../metrics';" : ''}
const router = Router();
const service = new Service${svc}();

router.get('/', async (req: Request, res: Response) => {
  ${instrumented ? "httpRequests.inc({ method: 'GET', route: '/', status_code: '200' });" : ''}
  const items = await service.list(Number(req.query.limit ?? 20));
  res.json(items.map((x) => ({ ...x, href: \`/res${i}/\${x.id}\` })));
});

router.get('/:id', async (req, res) => {
  const item = await service.get(req.params.id);
  if (!item) return res.status(404).json({ error: 'not found' });
  res.json(item);
});

router.post('/', async (req, res) => {
  try {
    const created = await service.create(req.body);
    res.status(201).json(created);
  } catch (err) {
    res.status(400).json({ error: (err as Error).message });
  }
});

router.route('/:id/items').get((req, res) => res.json([])).put((req, res) => res.sendStatus(204));

export default router;
`);
  }
  for (let i = 0; i < services; i++) {
    const u = Math.floor(rand() * utils);
    write(`src/services/s${i}.ts`, `import { helper${u}, type Entity${u} } from '../utils/u${u}';

export interface Record${i} { id: string; name: string; createdAt: Date; tags: string[]; score: number }

export class Service${i} {
  private readonly cache = new Map<string, Record${i}>();
  private counter = 0;

  async list(limit: number): Promise<Record${i}[]> {
    const all = [...this.cache.values()].sort((a, b) => b.score - a.score);
    return all.slice(0, Math.max(0, Math.min(limit, 100)));
  }

  async get(id: string): Promise<Record${i} | undefined> {
    return this.cache.get(id) ?? undefined;
  }

  async create(input: Partial<Record${i}>): Promise<Record${i}> {
    if (!input.name) throw new Error('name is required');
    const rec: Record${i} = { id: String(++this.counter), name: input.name, createdAt: new Date(), tags: input.tags ?? [], score: helper${u}(input.name) };
    this.cache.set(rec.id, rec);
    return rec;
  }

  toEntity(r: Record${i}): Entity${u} {
    return { key: r.id, value: r.score, label: r.name.toUpperCase() };
  }
}
`);
  }
  for (let i = 0; i < utils; i++) {
    write(`src/utils/u${i}.ts`, `export interface Entity${i} { key: string; value: number; label: string }

export function helper${i}(s: string): number {
  let h = ${i};
  for (let k = 0; k < s.length; k++) h = (h * 31 + s.charCodeAt(k)) | 0;
  return Math.abs(h) % 1000;
}

export const table${i}: Record<string, number> = {
  alpha: ${Math.floor(rand() * 100)}, beta: ${Math.floor(rand() * 100)}, gamma: ${Math.floor(rand() * 100)},
};

export function format${i}(e: Entity${i}): string {
  return \`\${e.label} (\${e.key}) = \${e.value.toFixed(2)}\`;
}

export type Mapper${i}<T> = (value: T, index: number) => Entity${i};

export function mapAll${i}<T>(values: T[], mapper: Mapper${i}<T>): Entity${i}[] {
  const out: Entity${i}[] = [];
  values.forEach((v, idx) => out.push(mapper(v, idx)));
  return out.filter((e) => e.value >= 0);
}
`);
  }
  write('src/jobs/cleanup.ts', `import cron from 'node-cron';\ncron.schedule('0 * * * *', () => { void 0; });\n`);
}

if (require.main === module) {
  const [dir, n] = process.argv.slice(2);
  generateProject(dir, Number(n ?? 2000));
}
