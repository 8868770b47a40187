import { ts } from '../../helpers/annotated';
import { checkInventory } from '../../helpers/inventory';

const NEXT_PACKAGE = ts`
  //- /package.json
  { "name": "web", "dependencies": { "next": "14.2.0", "react": "18.3.0" } }
`;

describe('next.js recognizer', () => {
  it('App Router: exported functions and consts, one entry per method', () => checkInventory(NEXT_PACKAGE + ts`
    //- /app/api/users/route.ts
    import { NextResponse } from 'next/server';
      export async function GET(request: Request) {
    //^^^^^^ GET /api/users none
      return NextResponse.json([]);
    }
      export const POST = async (request: Request) => NextResponse.json({}, { status: 201 });
    //^^^^^^ POST /api/users none
    export const dynamic = 'force-dynamic';
    export function helper() {}
    //- /app/route.ts
      export function HEAD() { return new Response(null); }
    //^^^^^^ HEAD / none
  `, '/app/api/users/route.ts'));

  it('App Router: `export { handler as GET, handler as POST }` and destructured exports', () => checkInventory(NEXT_PACKAGE + ts`
    //- /src/app/api/auth/[...nextauth]/route.ts
    import NextAuth from 'next-auth';
    const handler = NextAuth({ providers: [] });
      export { handler as GET, handler as POST };
    //^^^^^^ GET /api/auth/[...nextauth] none
    //^^^^^^ POST /api/auth/[...nextauth] none
    //- /src/app/api/session/route.ts
    import { handlers } from '../../../auth';
      export const { GET, PUT } = handlers;
    //^^^^^^ GET /api/session none
    //^^^^^^ PUT /api/session none
    //- /src/app/api/re/route.ts
      export { GET, DELETE as POST } from '../../../handlers';
    //^^^^^^ GET /api/re handler
    //^^^^^^ POST /api/re none
    //- /src/handlers.ts
    import { Counter } from 'prom-client';
    const calls = new Counter({ name: 'calls_total', help: 'c' });
    export function GET() { calls.inc(); return new Response(); }
    export function DELETE() { return new Response(); }
    //- /src/auth.ts
    export const handlers = { GET: () => new Response(), PUT: () => new Response() };
  `));

  it('route groups and parallel-route slots are dropped; dynamic segments are kept as written', () => checkInventory(NEXT_PACKAGE + ts`
    //- /app/(marketing)/api/posts/[id]/route.ts
      export async function DELETE(_req: Request, { params }: { params: { id: string } }) {
    //^^^^^^ DELETE /api/posts/[id] none
      return new Response(params.id);
    }
    //- /app/@modal/feed/[[...slug]]/route.js
      export function PATCH() { return new Response(); }
    //^^^^^^ PATCH /feed/[[...slug]] none
    //- /app/_lib/route.ts
    export function GET() { return new Response(); }
    //- /app/api/things/page.tsx
    export default function Page() { return null; }
  `));

  it('Pages Router: default exports of pages/api are ANY routes; index maps to the folder', () => checkInventory(NEXT_PACKAGE + ts`
    //- /pages/api/users/index.ts
    import type { NextApiRequest, NextApiResponse } from 'next';
      export default function handler(req: NextApiRequest, res: NextApiResponse) {
    //^^^^^^ ANY /api/users none
      res.status(200).json([]);
    }
    //- /pages/api/users/[id].ts
    const handler = (req: unknown, res: { end(): void }) => res.end();
      export default handler;
    //^^^^^^ ANY /api/users/[id] none
    //- /src/pages/api/index.js
      module.exports = (req, res) => res.end('root');
    //^^^^^^^^^^^^ ANY /api none
    //- /pages/about.tsx
    export default function About() { return null; }
    //- /pages/api/lib/util.ts
    export const notARoute = 1;
  `));

  it('coverage: handlers that record, wrappers, and @vercel/otel as auto', () => checkInventory(NEXT_PACKAGE + ts`
    //- /lib/metrics.ts
    import { Counter, Histogram } from 'prom-client';
    export const requests = new Counter({ name: 'api_requests_total', help: 'r', labelNames: ['route'] });
    const duration = new Histogram({ name: 'api_duration_seconds', help: 'd' });
    export function withMetrics<T extends (...a: any[]) => any>(fn: T): T {
      return (async (...args: any[]) => { const end = duration.startTimer(); try { return await fn(...args); } finally { end(); } }) as T;
    }
    //- /app/api/orders/route.ts
    import { requests, withMetrics } from '../../../lib/metrics';
    async function list() { return Response.json([]); }
      export const GET = withMetrics(list);
    //^^^^^^ GET /api/orders handler
      export async function POST() {
    //^^^^^^ POST /api/orders handler
      requests.labels('orders').inc();
      return Response.json({});
    }
    //- /pages/api/ping.ts
    import { trace } from '@opentelemetry/api';
      export default async function ping(req: unknown, res: { end(): void }) {
    //^^^^^^ ANY /api/ping handler
      await trace.getTracer('web').startActiveSpan('ping', async (span) => { res.end(); span.end(); });
    }
  `));

  it('an instrumentation.ts registering @vercel/otel makes the rest auto', () => checkInventory(NEXT_PACKAGE + ts`
    //- /src/instrumentation.ts
    import { registerOTel } from '@vercel/otel';
    export function register() {
      registerOTel({ serviceName: 'web' });
    }
    //- /src/app/api/items/route.ts
      export async function GET() { return Response.json([]); }
    //^^^^^^ GET /api/items auto
  `));

  it('an OpenTelemetry SDK registered from instrumentation.ts (via instrumentation.node) covers only Next routes', () => checkInventory(NEXT_PACKAGE + ts`
    //- /instrumentation.ts
    export async function register() {
      if (process.env.NEXT_RUNTIME === 'nodejs') await import('./instrumentation.node');
    }
    //- /instrumentation.node.ts
    import { NodeSDK } from '@opentelemetry/sdk-node';
    import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
    new NodeSDK({ traceExporter: new OTLPTraceExporter() }).start();
    //- /app/api/items/[id]/route.ts
      export const GET = async () => Response.json({});
    //^^^^^^ GET /api/items/[id] auto
    //- /server/legacy.ts
    import express from 'express';
    const legacy = express();
    legacy.get('/legacy', (req, res) => res.end());
    //     ^^^ GET /legacy none
  `));

  it('Hono apps mounted through hono/vercel are listed by the Hono recognizer, not as Next routes', () => checkInventory(NEXT_PACKAGE + ts`
    //- /app/api/[[...route]]/route.ts
    import { Hono } from 'hono';
    import { handle } from 'hono/vercel';
    const app = new Hono().basePath('/api');
    export const GET = handle(app);
    const handler = handle(app);
    export { handler as POST };
  `));

  it('a Next project recognized by next.config.* or imports, in a monorepo folder', () => checkInventory(ts`
    //- /apps/web/next.config.mjs
    export default {};
    //- /apps/web/app/api/hello/route.ts
      export function GET() { return new Response('hi'); }
    //^^^^^^ GET /api/hello none
    //- /apps/site/app/api/x/route.ts
    import { NextResponse } from 'next/server';
      export function OPTIONS() { return NextResponse.json({}); }
    //^^^^^^ OPTIONS /api/x none
  `));

  it('look-alikes: app/ and pages/ folders of projects that are not Next.js', () => checkInventory(ts`
    //- /package.json
    { "name": "api", "dependencies": { "express": "4.19.0" } }
    //- /src/app/users/route.ts
    export function GET() { return 'not next'; }
    //- /src/pages/api/thing.ts
    export default function thing() { return 1; }
    //- /src/routes/route.ts
    export const POST = () => 1;
  `));
});
