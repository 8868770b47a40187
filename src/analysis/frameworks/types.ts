/**
 * What a framework recognizer provides. Two shapes:
 *
 * - `ScopeFramework` (Express, Fastify, Koa, Hono): routes are registered by calling methods on
 *   app/router/plugin objects ("scopes"). The recognizer says which values *are* its scopes
 *   (`scopeOf`), and interprets the method calls made on them (`interpret`): a route, a mount of a
 *   child scope under a prefix, a middleware. The linker (routes.ts) does the rest: follows scopes
 *   across files, composes prefixes, orders middleware before routes.
 * - `FileFramework` (NestJS, Next.js, node:http): routes come from decorators or file paths; the
 *   recognizer reads whole files and returns finished route drafts.
 */
import type { ts } from '../ts';
import type { FrameworkId } from '../model';
import type { Ref, Linker } from '../link';
import type { ProjectFile, Project } from '../project';
import type { Value } from '../values';

export interface ScopeKind {
  framework: FrameworkId;
  kind: 'app' | 'router' | 'plugin';
  /** A prefix the scope itself carries (`new Router({ prefix: '/api' })`). */
  prefix?: string;
  /** Derived scopes (`app.basePath('/v1')`): the scope this one hangs under, with `mountPrefix`. */
  parent?: { node: ts.Expression; file: ProjectFile; mountPrefix: string };
  /**
   * The value *is* the scope of another expression: a chained call that returns its receiver
   * (`new Hono().get(…)`, `router.get(…).post(…)`, `router.routes()`). Routes and mounts on either
   * are the same scope's.
   */
  alias?: { node: ts.Node; file: ProjectFile };
}

export interface RouteDraft {
  methods: string[];
  paths: string[];
  /** The node whose line is the route's line (the method name: `get` in `router.get(`). */
  nameNode: ts.Node;
  /** Handlers and route-level middleware, in order; the last is the handler. */
  handlers: ts.Node[];
}

export interface MountDraft {
  prefix: string;
  /** The child: a router/app expression, or a plugin function whose first parameter is the child scope. */
  child: ts.Node;
  /** The file `child` is written in, when it is not the calling file (a plugin found through an import). */
  file?: ProjectFile;
  /** Fastify plugins: the child scope is the plugin function's parameter at this index. */
  pluginParam?: number;
  /**
   * The child shares the parent's context (a `fastify-plugin` plugin: no encapsulation): middleware
   * registered in the child covers the parent's routes too.
   */
  shared?: boolean;
}

export interface MiddlewareDraft {
  /** What it is, for humans ('express-prom-bundle', 'onResponse hook observing httpDuration'). */
  description: string;
  /** Only routes under this path prefix are covered (`app.use('/api', mw)`). */
  prefix?: string;
  /** Applies regardless of registration order (Fastify hooks and plugins apply to the whole context). */
  unordered?: boolean;
}

export interface CallContext {
  readonly file: ProjectFile;
  readonly linker: Linker;
  readonly call: ts.CallExpression;
  readonly method: string;
  /** Resolves a string (literal, constant, template of constants) or returns undefined. */
  str(node: ts.Node | undefined): string | undefined;
  /** A path argument: a string, or a display form for regexes and dynamic values. */
  pathOf(node: ts.Node | undefined): string | undefined;
  /** Describes how an expression (handler, middleware, hook) records metrics or spans, if it does. */
  instrumentation(node: ts.Node | undefined): string | undefined;
  route(d: RouteDraft): void;
  mount(d: MountDraft): void;
  middleware(d: MiddlewareDraft): void;
}

export interface ScopeFramework {
  readonly id: FrameworkId;
  readonly kind: 'scope';
  /** Method names `interpret` handles; calls of other methods are skipped without resolving anything. */
  readonly methods: ReadonlySet<string>;
  /** Is this resolved value an app/router/plugin of this framework? */
  scopeOf(ref: Ref, linker: Linker): ScopeKind | undefined;
  /** Does a type annotation (`app: Express`, `fastify: FastifyInstance`) name one of its scope types? */
  isScopeType(annotation: Value): boolean;
  interpret(ctx: CallContext): void;
}

export interface FileRouteDraft {
  framework: FrameworkId;
  file: ProjectFile;
  method: string;
  path: string;
  nameNode: ts.Node;
  handler?: ts.Node;
  /** Coverage decided by the recognizer (e.g. a Nest interceptor on the controller). */
  coverage?: { kind: 'handler' | 'middleware' | 'auto'; by: string };
}

export interface FileFramework {
  readonly id: FrameworkId;
  readonly kind: 'file';
  collect(project: Project, linker: Linker, helpers: FileFrameworkHelpers): FileRouteDraft[];
}

export interface FileFrameworkHelpers {
  str(node: ts.Node | undefined, file: ProjectFile): string | undefined;
  instrumentation(node: ts.Node | undefined, file: ProjectFile): string | undefined;
}

export type Framework = ScopeFramework | FileFramework;

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'] as const;
