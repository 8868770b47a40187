/**
 * Where does a value come from? `originsOf(expr)` follows an expression back to its *origins*
 * inside one file — through local variables and destructuring, template literals and
 * concatenations, string conversions (`String(x)`, `x.toLowerCase()`), `??`/`||`/ternaries, and
 * simple helpers in the same file (a function's returns with its parameters bound to the call's
 * arguments; a parameter of a same-file function to the arguments of its call sites).
 *
 * An origin is an *access path* (`req.params.id`: root `req`, path `params.id`), a constant
 * (literal, boolean, enum member, comparison), an intrinsic source (`Date.now()`,
 * `randomUUID()`), an object literal, or something unknown (a call into another module, which
 * may well sanitize). Rules classify origins: `unboundedOrigin` (metric cardinality) here,
 * PII in pii-in-log.
 */
import { ts, skipOuter, memberName, propertyNameText, isFunctionLike } from './ts';
import type { ProjectFile } from './project';

export type Origin =
  | { k: 'const'; node: ts.Node }
  | { k: 'access'; root: string; rootKind: 'param' | 'catch' | 'global' | 'import' | 'var' | 'this'; typeName?: string; path: string[]; node: ts.Node }
  | { k: 'intrinsic'; what: string; node: ts.Node }
  | { k: 'object'; node: ts.ObjectLiteralExpression }
  | { k: 'unknown'; node: ts.Node; name?: string };

const MAX_ORIGINS = 24;
const MAX_DEPTH = 12;

/** Calls that return (a transformation of) their receiver / argument: the origin passes through. */
const PASS_METHODS = new Set(['toString', 'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart', 'trimEnd', 'slice', 'substring', 'substr', 'padStart', 'padEnd', 'concat', 'at', 'valueOf', 'toFixed', 'normalize', 'join', 'toISOString', 'toJSON', 'getTime', 'toUTCString', 'toLocaleString']);
const PASS_FUNCTIONS = new Set(['String', 'Number', 'encodeURIComponent', 'encodeURI', 'decodeURIComponent', 'decodeURI', 'parseInt', 'parseFloat', 'BigInt']);
/** Accessor calls on request objects (`req.get('x-user')`, `c.req.param('id')`): part of the access path. */
const ACCESSOR_METHODS = new Set(['get', 'header', 'param', 'query', 'cookie', 'queries', 'valid', 'json']);
const RANDOM_MODULES: Record<string, string> = { uuid: 'a random UUID', nanoid: 'a random id (nanoid)', cuid: 'a random id (cuid)', '@paralleldrive/cuid2': 'a random id (cuid)', ulid: 'a random id (ulid)', shortid: 'a random id (shortid)', 'hyperid': 'a random id (hyperid)' };

type Env = Map<ts.Node, { expr: ts.Expression; env: Env }>;

interface State { file: ProjectFile; out: Origin[]; seen: Set<ts.Node> }

export function originsOf(expr: ts.Expression, file: ProjectFile): Origin[] {
  const st: State = { file, out: [], seen: new Set() };
  walk(expr, new Map(), st, 0, []);
  return st.out;
}

function push(st: State, o: Origin): void {
  if (st.out.length < MAX_ORIGINS) st.out.push(o);
}

/**
 * Follows `e`; `suffix` is the member path still to apply (`x.a.b` with x unknown → origin of x
 * with path + [a, b]).
 */
function walk(e0: ts.Expression, env: Env, st: State, depth: number, suffix: string[]): void {
  if (depth > MAX_DEPTH || st.out.length >= MAX_ORIGINS) { push(st, { k: 'unknown', node: e0 }); return; }
  const e = skipOuter(e0);
  switch (e.kind) {
    case ts.SyntaxKind.StringLiteral: case ts.SyntaxKind.NoSubstitutionTemplateLiteral: case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.TrueKeyword: case ts.SyntaxKind.FalseKeyword: case ts.SyntaxKind.NullKeyword: case ts.SyntaxKind.RegularExpressionLiteral:
    case ts.SyntaxKind.BigIntLiteral: case ts.SyntaxKind.TypeOfExpression: case ts.SyntaxKind.VoidExpression: case ts.SyntaxKind.DeleteExpression:
      push(st, { k: 'const', node: e }); return;
    case ts.SyntaxKind.TemplateExpression:
      for (const span of (e as ts.TemplateExpression).templateSpans) walk(span.expression, env, st, depth + 1, []);
      return;
    case ts.SyntaxKind.PrefixUnaryExpression: {
      const p = e as ts.PrefixUnaryExpression;
      if (p.operator === ts.SyntaxKind.ExclamationToken) { push(st, { k: 'const', node: e }); return; }
      walk(p.operand, env, st, depth + 1, suffix); return;
    }
    case ts.SyntaxKind.PostfixUnaryExpression:
      walk((e as ts.PostfixUnaryExpression).operand, env, st, depth + 1, suffix); return;
    case ts.SyntaxKind.BinaryExpression: {
      const b = e as ts.BinaryExpression;
      const op = b.operatorToken.kind;
      if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.MinusToken || op === ts.SyntaxKind.AsteriskToken || op === ts.SyntaxKind.SlashToken ||
        op === ts.SyntaxKind.PercentToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken || op === ts.SyntaxKind.AmpersandAmpersandToken) {
        walk(b.left, env, st, depth + 1, suffix);
        walk(b.right, env, st, depth + 1, suffix);
        return;
      }
      if (op === ts.SyntaxKind.EqualsToken || op === ts.SyntaxKind.CommaToken) { walk(b.right, env, st, depth + 1, suffix); return; }
      // comparisons, instanceof, in, bitwise: a boolean or a small number
      push(st, { k: 'const', node: e }); return;
    }
    case ts.SyntaxKind.ConditionalExpression: {
      const c = e as ts.ConditionalExpression;
      walk(c.whenTrue, env, st, depth + 1, suffix);
      walk(c.whenFalse, env, st, depth + 1, suffix);
      return;
    }
    case ts.SyntaxKind.Identifier:
      walkIdentifier(e as ts.Identifier, env, st, depth, suffix); return;
    case ts.SyntaxKind.ThisKeyword:
      push(st, { k: 'access', root: 'this', rootKind: 'this', path: suffix, node: e }); return;
    case ts.SyntaxKind.PropertyAccessExpression: case ts.SyntaxKind.ElementAccessExpression: {
      const obj = (e as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression;
      const name = memberName(e) ?? (ts.isElementAccessExpression(e) && ts.isNumericLiteral(e.argumentExpression) ? e.argumentExpression.text : '*');
      walk(obj, env, st, depth + 1, [name, ...suffix]);
      return;
    }
    case ts.SyntaxKind.CallExpression:
      walkCall(e as ts.CallExpression, env, st, depth, suffix); return;
    case ts.SyntaxKind.NewExpression: {
      const n = e as ts.NewExpression;
      const callee = skipOuter(n.expression);
      if (ts.isIdentifier(callee) && callee.text === 'Date' && !st.file.values.declarationOf(callee)) {
        if (n.arguments?.length) { for (const a of n.arguments) walk(a, env, st, depth + 1, []); return; }
        push(st, { k: 'intrinsic', what: 'the current time (new Date())', node: e }); return;
      }
      if (ts.isIdentifier(callee) && (callee.text === 'URL' || callee.text === 'String') && n.arguments?.[0]) { walk(n.arguments[0], env, st, depth + 1, suffix); return; }
      push(st, { k: 'unknown', node: e }); return;
    }
    case ts.SyntaxKind.ObjectLiteralExpression: {
      const o = e as ts.ObjectLiteralExpression;
      if (!suffix.length) { push(st, { k: 'object', node: o }); return; }
      const [head, ...rest] = suffix;
      for (const p of o.properties) {
        if (propertyNameText(p.name) !== head) continue;
        if (ts.isPropertyAssignment(p)) { walk(p.initializer, env, st, depth + 1, rest); return; }
        if (ts.isShorthandPropertyAssignment(p)) { walk(p.name, env, st, depth + 1, rest); return; }
      }
      push(st, { k: 'unknown', node: e }); return;
    }
    case ts.SyntaxKind.ArrayLiteralExpression:
      for (const el of (e as ts.ArrayLiteralExpression).elements) walk(ts.isSpreadElement(el) ? el.expression : el, env, st, depth + 1, []);
      return;
    default:
      push(st, { k: 'unknown', node: e });
  }
}

function walkIdentifier(id: ts.Identifier, env: Env, st: State, depth: number, suffix: string[]): void {
  const file = st.file;
  if (id.text === 'undefined' || id.text === 'NaN' || id.text === 'Infinity') { push(st, { k: 'const', node: id }); return; }
  const d = file.values.declarationOf(id);
  if (!d) { push(st, { k: 'access', root: id.text, rootKind: 'global', path: suffix, node: id }); return; }
  const bound = env.get(d);
  if (bound) { walk(bound.expr, bound.env, st, depth + 1, suffix); return; }
  if (ts.isEnumDeclaration(d)) { push(st, { k: 'const', node: id }); return; }
  if (ts.isVariableDeclaration(d) && ts.isCatchClause(d.parent)) { push(st, { k: 'access', root: id.text, rootKind: 'catch', path: suffix, node: id }); return; }
  if (ts.isVariableDeclaration(d)) {
    if (d.type && isBoundedType(d.type)) { push(st, { k: 'const', node: id }); return; }
    if (d.initializer && !st.seen.has(d)) {
      st.seen.add(d);
      walk(d.initializer, env, st, depth + 1, suffix);
      st.seen.delete(d);
      return;
    }
    push(st, { k: 'access', root: id.text, rootKind: 'var', path: suffix, node: id }); return;
  }
  if (ts.isBindingElement(d)) { walkBinding(d, id, env, st, depth, suffix); return; }
  if (ts.isParameter(d)) { walkParameter(d, id, env, st, depth, suffix); return; }
  if (ts.isImportSpecifier(d) || ts.isImportClause(d) || ts.isNamespaceImport(d) || ts.isImportEqualsDeclaration(d)) {
    push(st, { k: 'access', root: id.text, rootKind: 'import', path: suffix, node: id }); return;
  }
  push(st, { k: 'unknown', node: id, name: id.text });
}

/** `const { id } = req.params` → origins of `req.params` with `id` appended. */
function walkBinding(d: ts.BindingElement, id: ts.Identifier, env: Env, st: State, depth: number, suffix: string[]): void {
  const names: string[] = [];
  let n: ts.Node = d;
  while (ts.isBindingElement(n)) {
    const pattern = n.parent;
    if (ts.isObjectBindingPattern(pattern)) {
      if (n.dotDotDotToken) { names.unshift('*'); } else {
        const key = propertyNameText(n.propertyName ?? n.name);
        names.unshift(key ?? '*');
      }
    } else if (ts.isArrayBindingPattern(pattern)) names.unshift(String(pattern.elements.indexOf(n)));
    else break;
    n = pattern.parent;
  }
  if (ts.isVariableDeclaration(n)) {
    if (ts.isCatchClause(n.parent)) { push(st, { k: 'access', root: id.text, rootKind: 'catch', path: [...names, ...suffix], node: id }); return; }
    if (n.initializer && !st.seen.has(n)) {
      st.seen.add(n);
      walk(n.initializer, env, st, depth + 1, [...names, ...suffix]);
      st.seen.delete(n);
      return;
    }
  }
  if (ts.isParameter(n)) {
    // ({ params }) => …: a destructured handler parameter; its root is the parameter's position
    push(st, { k: 'access', root: paramRootName(n, names[0]), rootKind: 'param', typeName: typeNameOf(n.type), path: [...names, ...suffix], node: id });
    return;
  }
  push(st, { k: 'unknown', node: id, name: id.text });
}

/** A destructured parameter has no name: call it by its type (`Request`) or `req`-like by position in a handler. */
function paramRootName(p: ts.ParameterDeclaration, first: string | undefined): string {
  if (ts.isIdentifier(p.name)) return p.name.text;
  const t = typeNameOf(p.type);
  if (t) return t;
  // (({ params, query }, res) => …): the first parameter of a handler, destructured
  const fn = p.parent;
  if (isFunctionLike(fn) && fn.parameters[0] === p && first && /^(params|query|body|headers|cookies|originalUrl|url|path|ip|user|session)$/.test(first)) return 'req';
  return '(destructured)';
}

function typeNameOf(t: ts.TypeNode | undefined): string | undefined {
  if (!t) return undefined;
  if (ts.isTypeReferenceNode(t)) return ts.isIdentifier(t.typeName) ? t.typeName.text : t.typeName.right.text;
  return undefined;
}

/** NestJS `@Body()`, `@Body('email')`, `@Headers()`, `@Query('q')`, `@Param('id')`: a piece of the request. */
const NEST_REQUEST_DECORATORS: Record<string, string> = { Body: 'body', Headers: 'headers', Query: 'query', Param: 'params', Ip: 'ip' };

function nestRequestPath(d: ts.ParameterDeclaration): string[] | undefined {
  for (const dec of ts.canHaveDecorators(d) ? ts.getDecorators(d) ?? [] : []) {
    const e = dec.expression;
    if (!ts.isCallExpression(e) || !ts.isIdentifier(e.expression)) continue;
    const part = NEST_REQUEST_DECORATORS[e.expression.text];
    if (!part) continue;
    const key = e.arguments[0] && ts.isStringLiteralLike(e.arguments[0]) ? e.arguments[0].text : undefined;
    return key ? [part, key] : [part];
  }
  return undefined;
}

function walkParameter(d: ts.ParameterDeclaration, id: ts.Identifier, env: Env, st: State, depth: number, suffix: string[]): void {
  if (d.type && isBoundedType(d.type)) { push(st, { k: 'const', node: id }); return; }
  const nest = nestRequestPath(d);
  if (nest) { push(st, { k: 'access', root: 'req', rootKind: 'param', path: [...nest, ...suffix], node: id }); return; }
  const fn = d.parent;
  // A parameter of a same-file function: what do its callers pass?
  if (isFunctionLike(fn) && depth < 6) {
    const calls = callSitesOf(fn, st.file);
    if (calls.length) {
      const index = fn.parameters.indexOf(d);
      let followed = 0;
      for (const call of calls.slice(0, 6)) {
        const arg = call.arguments[index];
        if (!arg || ts.isSpreadElement(arg)) continue;
        if (st.seen.has(arg)) continue;
        st.seen.add(arg);
        walk(arg, new Map(), st, depth + 2, suffix);
        st.seen.delete(arg);
        followed++;
      }
      if (followed) return;
    }
  }
  push(st, { k: 'access', root: id.text, rootKind: 'param', typeName: typeNameOf(d.type), path: suffix, node: id });
}

/** Calls of a named same-file function (`function f`, `const f = () =>`) by its name. */
function callSitesOf(fn: ts.SignatureDeclaration, file: ProjectFile): ts.CallExpression[] {
  let nameNode: ts.Identifier | undefined;
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) nameNode = fn.name;
  else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) nameNode = fn.parent.name;
  if (!nameNode) return [];
  const decl = ts.isFunctionDeclaration(fn) ? fn : fn.parent;
  const out: ts.CallExpression[] = [];
  for (const c of file.callsByName.get(nameNode.text) ?? []) {
    const callee = skipOuter(c.expression);
    if (ts.isIdentifier(callee) && file.values.declarationOf(callee) === decl) out.push(c);
  }
  return out;
}

function walkCall(c: ts.CallExpression, env: Env, st: State, depth: number, suffix: string[]): void {
  const file = st.file;
  const callee = skipOuter(c.expression);
  if (ts.isIdentifier(callee)) {
    const name = callee.text;
    const d = file.values.declarationOf(callee);
    if (!d) {
      if (PASS_FUNCTIONS.has(name) && c.arguments[0]) { walk(c.arguments[0], env, st, depth + 1, suffix); return; }
      if (name === 'Boolean' || name === 'isNaN' || name === 'isFinite') { push(st, { k: 'const', node: c }); return; }
      push(st, { k: 'unknown', node: c, name }); return;
    }
    // Imports of random-id packages: uuid's v4(), nanoid(), randomUUID from crypto
    if (ts.isImportSpecifier(d) || ts.isImportClause(d) || ts.isNamespaceImport(d) || (ts.isVariableDeclaration(d) && d.initializer && isRequire(d.initializer)) || ts.isBindingElement(d)) {
      const v = file.valueOf(callee);
      if (v.k === 'module') {
        const exp = v.path[v.path.length - 1];
        if (RANDOM_MODULES[v.module]) { push(st, { k: 'intrinsic', what: RANDOM_MODULES[v.module], node: c }); return; }
        if ((v.module === 'crypto' || v.module === 'node:crypto') && (exp === 'randomUUID' || exp === 'randomBytes' || exp === 'randomInt')) { push(st, { k: 'intrinsic', what: `a random value (${exp})`, node: c }); return; }
      }
      push(st, { k: 'unknown', node: c, name }); return;
    }
    // A same-file helper: follow its returns with parameters bound to the arguments
    const fn = functionOfDeclaration(d);
    if (fn && depth < 8 && !st.seen.has(fn)) {
      st.seen.add(fn);
      const inner: Env = new Map();
      fn.parameters.forEach((p, i) => { const a = c.arguments[i]; if (a && !ts.isSpreadElement(a)) inner.set(p, { expr: a, env }); });
      for (const r of returnsOf(fn)) walk(r, inner, st, depth + 1, suffix);
      st.seen.delete(fn);
      return;
    }
    push(st, { k: 'unknown', node: c, name }); return;
  }
  if (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) {
    const method = memberName(callee);
    const recv = skipOuter(callee.expression);
    if (!method) { push(st, { k: 'unknown', node: c }); return; }
    // Intrinsic sources on globals
    if (ts.isIdentifier(recv) && !file.values.declarationOf(recv)) {
      const g = `${recv.text}.${method}`;
      if (g === 'Date.now' || g === 'performance.now' || g === 'process.hrtime' || g === 'process.uptime') { push(st, { k: 'intrinsic', what: `the current time (${g}())`, node: c }); return; }
      if (g === 'Math.random') { push(st, { k: 'intrinsic', what: 'a random number (Math.random())', node: c }); return; }
      if (g === 'crypto.randomUUID' || g === 'crypto.randomBytes') { push(st, { k: 'intrinsic', what: `a random value (${g}())`, node: c }); return; }
      if (g === 'JSON.stringify' && c.arguments[0]) { walk(c.arguments[0], env, st, depth + 1, suffix); return; }
      if (g.startsWith('Math.') || g === 'Number.isInteger' || g === 'Array.isArray' || g === 'Object.is') { if (g.startsWith('Math.') && c.arguments[0]) walk(c.arguments[0], env, st, depth + 1, suffix); else push(st, { k: 'const', node: c }); return; }
    }
    if (ts.isIdentifier(recv)) {
      const v = file.valueOf(recv);
      if (v.k === 'module') {
        if ((v.module === 'crypto' || v.module === 'node:crypto') && /^random(UUID|Bytes|Int)$/.test(method)) { push(st, { k: 'intrinsic', what: `a random value (${method}())`, node: c }); return; }
        if (RANDOM_MODULES[v.module]) { push(st, { k: 'intrinsic', what: RANDOM_MODULES[v.module], node: c }); return; }
      }
    }
    if (method === 'hrtime' || (method === 'bigint' && ts.isPropertyAccessExpression(recv) && recv.name.text === 'hrtime')) { push(st, { k: 'intrinsic', what: 'the current time (process.hrtime())', node: c }); return; }
    if (PASS_METHODS.has(method)) {
      walk(recv, env, st, depth + 1, suffix);
      if (method === 'concat') for (const a of c.arguments) walk(a, env, st, depth + 1, suffix);
      return;
    }
    if (method === 'includes' || method === 'startsWith' || method === 'endsWith' || method === 'test' || method === 'has' || method === 'some' || method === 'every' || method === 'indexOf') { push(st, { k: 'const', node: c }); return; }
    if (ACCESSOR_METHODS.has(method)) {
      const key = c.arguments[0] && ts.isStringLiteralLike(skipOuter(c.arguments[0])) ? (skipOuter(c.arguments[0]) as ts.StringLiteral).text : undefined;
      walk(recv, env, st, depth + 1, key ? [`${method}()`, key, ...suffix] : [`${method}()`, ...suffix]);
      return;
    }
    push(st, { k: 'unknown', node: c, name: method }); return;
  }
  push(st, { k: 'unknown', node: c });
}

function isRequire(e: ts.Expression): boolean {
  const s = skipOuter(e);
  return ts.isCallExpression(s) && ts.isIdentifier(s.expression) && s.expression.text === 'require';
}

function functionOfDeclaration(d: ts.Node): ts.FunctionLikeDeclaration | undefined {
  if (ts.isFunctionDeclaration(d) && d.body) return d;
  if (ts.isVariableDeclaration(d) && d.initializer) {
    const i = skipOuter(d.initializer);
    if (ts.isArrowFunction(i) || ts.isFunctionExpression(i)) return i;
  }
  return undefined;
}

function returnsOf(fn: ts.FunctionLikeDeclaration): ts.Expression[] {
  const body = fn.body;
  if (!body) return [];
  if (!ts.isBlock(body)) return [body];
  const out: ts.Expression[] = [];
  const visit = (n: ts.Node): void => {
    if (isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression) out.push(n.expression);
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return out;
}

/** `boolean`, literal unions (`'a' | 'b'`), number/string literal types: values of a small set. */
export function isBoundedType(t: ts.TypeNode): boolean {
  if (t.kind === ts.SyntaxKind.BooleanKeyword) return true;
  if (ts.isLiteralTypeNode(t)) return true;
  if (ts.isUnionTypeNode(t)) return t.types.every((x) => isBoundedType(x) || x.kind === ts.SyntaxKind.UndefinedKeyword || x.kind === ts.SyntaxKind.NullKeyword);
  if (ts.isParenthesizedTypeNode(t)) return isBoundedType(t.type);
  return false;
}

// ---------------------------------------------------------------------------------------------
// Cardinality: is an origin unbounded?

/** Parameter/variable names that hold an HTTP request (Express, Fastify, Koa, Hono, Nest, Next). */
const REQUEST_ROOT = /^_?(req|request|ctx|c|context|incomingRequest|httpRequest|event)$/;
const REQUEST_TYPE = /^(Request|FastifyRequest|IncomingMessage|NextRequest|Context|ParameterizedContext|HonoRequest|ExpressRequest)$/;
const RESPONSE_ROOT = /^_?(res|reply|response|rep)$/;
/** Members of a request that carry the raw, unbounded request. */
const REQUEST_UNBOUNDED: Record<string, string> = {
  url: 'the raw URL', originalUrl: 'the raw URL', nextUrl: 'the raw URL', path: 'the raw path', pathname: 'the raw path', href: 'the raw URL', search: 'the query string', querystring: 'the query string',
  ip: 'the client IP', ips: 'the client IPs', params: 'a path parameter', query: 'a query parameter', headers: 'a request header', header: 'a request header',
  body: 'the request body', cookies: 'a cookie', signedCookies: 'a cookie', user: 'the user', session: 'the session', id: 'the request id',
  'param()': 'a path parameter', 'query()': 'a query parameter', 'header()': 'a request header', 'get()': 'a request header', 'cookie()': 'a cookie',
  'queries()': 'a query parameter', 'json()': 'the request body', 'valid()': 'request input', auth: 'the user', socket: 'the client address', connection: 'the client address',
};
/** Members of a request (or its route) that are bounded. */
const REQUEST_BOUNDED = new Set(['method', 'route', 'baseUrl', 'routeOptions', 'routerPath', '_matchedRoute', 'routePath', 'matchedRoute', 'protocol', 'secure', 'xhr', 'httpVersion', 'routeConfig', 'is', 'accepts', 'matchedRoutes', 'status', 'statusCode']);
const USER_ROOT = /^_?(user|currentUser|authUser|session|account|customer|member|profile|me|principal|viewer)$/;
/** Fields of a user or session that are small enumerations. */
const BOUNDED_FIELD = /^(is[A-Z_].*|has[A-Z_].*|role|roles|type|kind|plan|tier|status|state|country|region|locale|lang|language|level|group|provider|verified|active|enabled|admin|scope|tenantType)$/;
const ERROR_ROOT = /^_?(e|err|error|ex|exc|exception|cause|reason)$/;
/** A name that says "identifier": userId, user_id, orderId, uuid, sessionId, email, ip… */
const ID_NAME = /^(id|uuid|guid|ulid|email|e?mail_?address|ip|ip_?address|remote_?addr(ess)?|url|uri|href|token|session_?id|request_?id|trace_?id|span_?id|correlation_?id|.*[a-z0-9](Id|ID|Ids|Uuid|UUID|_id|_uuid|Email|_email|Url|_url|Ip|_ip))$/;
/** …but not these, whose ids come from a small fixed set (shards, workers, regions, models…). */
const BOUNDED_ID_PREFIX = /^_?(shard|partition|worker|pod|instance|node|region|zone|cluster|thread|cpu|core|queue|topic|env|environment|version|build|model|deployment|service|app|application|process|pid|job_?type|provider|status|type|kind|category|plan|tier|locale|currency|country|source|channel_?type|event_?type|metric|chain|network)_?(id|Id|ID)$/;

export interface Unbounded { source: string; what: string }

/** `c`, ['req', 'param()', 'id'] → `c.req.param('id')`. */
export function accessText(root: string, path: readonly string[]): string {
  let out = root;
  for (let i = 0; i < path.length; i++) {
    const p = path[i];
    if (p.endsWith('()')) {
      const key = path[i + 1];
      const isKey = key !== undefined && !/^[A-Za-z_$][\w$]*$/.test(key) || (key !== undefined && i + 2 === path.length);
      out += `.${p.slice(0, -2)}(${isKey ? `'${key}'` : ''})`;
      if (isKey) i++;
    } else if (/^[A-Za-z_$][\w$]*$/.test(p)) out += `.${p}`;
    else if (p === '*') out += '[…]';
    else out += `['${p}']`;
  }
  return out;
}

/** Why an origin makes a label unbounded (`req.params.id`: 'a path parameter'); `'bounded'` when it is known small; undefined when unknown. */
export function unboundedOrigin(o: Origin, file: ProjectFile): Unbounded | 'bounded' | undefined {
  if (o.k === 'const') return 'bounded';
  if (o.k === 'intrinsic') return { source: o.node.getText(file.sf), what: o.what };
  if (o.k === 'object' || o.k === 'unknown') {
    if (o.k === 'unknown' && o.name && ts.isCallExpression(o.node) && /^(get|generate|create|new|make|next)[A-Z]?\w*(Id|ID|Uuid|UUID)$/.test(o.name)) {
      return { source: o.node.getText(file.sf), what: 'an id' };
    }
    return undefined;
  }
  if (o.k !== 'access') return undefined;
  let path = o.path;
  const root = o.root;
  const text = accessText(root, path);
  if (o.rootKind === 'global') {
    if (root === 'process' || root === 'os' || root === 'navigator') return 'bounded';
  }
  const isRequest = (o.rootKind === 'param' && (REQUEST_ROOT.test(root) || (o.typeName !== undefined && REQUEST_TYPE.test(o.typeName)))) ||
    (o.rootKind === 'var' && /^(req|request)$/.test(root));
  if (isRequest) {
    // ctx.request.x (Koa), c.req.x (Hono), ctx.req.x, request.raw.x (Fastify)
    while (path.length && (path[0] === 'request' || path[0] === 'req' || path[0] === 'raw')) path = path.slice(1);
    if (root === 'ctx' || root === 'context') {
      // ctx.state.user (Koa), ctx.params (koa-router)
      if (path[0] === 'state') path = path.slice(1);
    }
    if (!path.length) return undefined;
    const head = path[0];
    if (REQUEST_BOUNDED.has(head)) return 'bounded';
    if (head === 'user' || head === 'session' || head === 'auth') {
      const last = path[path.length - 1];
      if (path.length > 1 && BOUNDED_FIELD.test(last)) return 'bounded';
      return { source: text, what: head === 'session' ? 'the session' : 'the user' };
    }
    const what = head === 'id' && !/^_?(req|request)$/.test(root) ? undefined : REQUEST_UNBOUNDED[head];
    if (what) {
      if ((head === 'headers' || head === 'header()' || head === 'get()') && path[1] && /^(content-type|accept|x-forwarded-proto|host)$/i.test(path[1])) return undefined;
      return { source: text, what };
    }
    if (head !== 'id') return undefined;
  }
  if (RESPONSE_ROOT.test(root) && path.some((p) => p === 'statusCode' || p === 'status' || p === 'statusMessage')) return 'bounded';
  if ((o.rootKind === 'catch' || ERROR_ROOT.test(root)) && path.length) {
    const last = path[path.length - 1];
    if (last === 'message' || last === 'stack' || last === 'detail' || last === 'details') return { source: text, what: 'an error message' };
    if (last === 'name' || last === 'code' || last === 'status' || last === 'statusCode' || last === 'type') return 'bounded';
  }
  if (USER_ROOT.test(root) && o.rootKind !== 'import' && o.rootKind !== 'global') {
    const last = path[path.length - 1];
    if (!path.length) return { source: text, what: root === 'session' ? 'the session' : 'the user' };
    if (BOUNDED_FIELD.test(last)) return 'bounded';
    return { source: text, what: root === 'session' ? 'the session' : 'the user' };
  }
  // Named like an identifier: order.id, job.id, userId
  const last = path.length ? path[path.length - 1] : root;
  if (o.rootKind === 'global' && !path.length) return undefined;
  if (o.rootKind === 'import' && !path.length) return undefined;
  if (ID_NAME.test(last) && !BOUNDED_ID_PREFIX.test(last)) {
    return { source: text, what: /e?mail/i.test(last) ? 'an email address' : /(^ip|Ip|_ip|addr)/.test(last) ? 'an IP address' : /(url|uri|href)$/i.test(last) ? 'a URL' : 'an identifier' };
  }
  return undefined;
}

/** The first unbounded origin of an expression, or undefined (bounded or unknown). */
export function unboundedValue(expr: ts.Expression, file: ProjectFile): Unbounded | undefined {
  for (const o of originsOf(expr, file)) {
    const u = unboundedOrigin(o, file);
    if (u && u !== 'bounded') return u;
  }
  return undefined;
}

/** Is every origin of an expression known to be bounded (literals, enums, booleans, methods, status codes, route templates)? */
export function isBoundedValue(expr: ts.Expression, file: ProjectFile): boolean {
  const os = originsOf(expr, file);
  return os.length > 0 && os.every((o) => unboundedOrigin(o, file) === 'bounded');
}

// ---------------------------------------------------------------------------------------------
// Names

/** `userId` → ['user', 'id']; `x-api-key` → ['x', 'api', 'key']; `user.email` → ['user', 'email']. */
export function nameTokens(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/).filter(Boolean).map((t) => t.toLowerCase());
}

function joined(name: string): string {
  return nameTokens(name).join('');
}

/** A label name that names an identifier: its last words are one of `list` (user_id ≡ userId ≡ user.id). */
export function identifierLabelMatcher(list: readonly string[]): (name: string) => string | undefined {
  const entries = new Map(list.map((e) => [joined(e), e] as const));
  return memoized((name) => {
    const toks = nameTokens(name);
    for (let k = Math.min(toks.length, 4); k >= 1; k--) {
      const hit = entries.get(toks.slice(toks.length - k).join(''));
      if (!hit) continue;
      if (k < toks.length && BOUNDED_ID_PREFIX.test(`${toks[toks.length - k - 1]}_${toks.slice(toks.length - k).join('_')}`)) return undefined;
      return hit;
    }
    return undefined;
  });
}

/** Names repeat a lot (`id`, `email`, `req`): tokenize each once per matcher. */
function memoized(fn: (name: string) => string | undefined): (name: string) => string | undefined {
  const cache = new Map<string, string | null>();
  return (name) => {
    const c = cache.get(name);
    if (c !== undefined) return c ?? undefined;
    const r = fn(name);
    if (cache.size < 50_000) cache.set(name, r ?? null);
    return r;
  };
}

/** Words that may follow a sensitive word and still name the sensitive value (passwordHash, phoneNumber). */
const PII_CONTINUATION = new Set(['number', 'no', 'num', 'hash', 'hashed', 'value', 'raw', 'plain', 'plaintext', 'text', 'str', 'string', 'header', 'confirm', 'confirmation', 'repeat', 'again', 'old', 'new', 'input', 'field', 'data']);
/** …and after these only (emailAddress, ipAddr): `tokenAddress` is a contract, not a token. */
const PII_ADDRESS_WORDS = new Set(['email', 'mail', 'ip']);
/** Words that, just before a sensitive word, make it not the value (nextPageToken, hasPassword, maxTokens). */
const PII_NEGATING_PREFIX = new Set(['page', 'next', 'prev', 'previous', 'continuation', 'cursor', 'sync', 'cancel', 'cancellation', 'has', 'is', 'max', 'min', 'total', 'prompt', 'completion', 'count', 'num', 'require', 'requires', 'required', 'needs', 'use', 'uses', 'should', 'can', 'show', 'valid', 'invalid', 'missing', 'no', 'without']);

/** A name that names a sensitive value: `password`, `userEmail`, `x-api-key`, `accessToken`; not `emailVerified`, `tokenCount`. */
export function piiNameMatcher(list: readonly string[]): (name: string) => string | undefined {
  const entries = list.map((e) => ({ e, j: joined(e) })).filter((x) => x.j);
  return memoized((name) => {
    const toks = nameTokens(name);
    for (let i = 0; i < toks.length; i++) {
      for (let j = i + 1; j <= Math.min(toks.length, i + 4); j++) {
        const w = toks.slice(i, j).join('');
        const hit = entries.find((x) => x.j === w || (x.j !== 'token' && x.j + 's' === w));
        if (!hit) continue;
        if (i > 0 && PII_NEGATING_PREFIX.has(toks[i - 1])) continue;
        if (toks.slice(j).every((t) => PII_CONTINUATION.has(t) || ((t === 'address' || t === 'addr') && PII_ADDRESS_WORDS.has(toks[j - 1])))) return hit.e;
      }
    }
    return undefined;
  });
}

// ---------------------------------------------------------------------------------------------
// Personal data and secrets

export interface PiiHit {
  kind: 'field' | 'body' | 'headers' | 'user';
  /** The field's name or the expression written (`password`, `req.body`, `user.email`). */
  field: string;
  node: ts.Node;
}

/** Names of variables that hold a whole user record. */
const USER_OBJECT_NAME = /^_?(user|currentUser|authUser|authenticatedUser|loggedInUser|sessionUser|userRecord|userDoc|userDocument|userData|userProfile|userInfo|userEntity|userObj|userObject|dbUser|existingUser|newUser|foundUser|createdUser|updatedUser)$/;
/** Calls that make a value safe to write. */
const REDACTOR = /(mask|redact|hash|anonymi[sz]|obfuscat|sanitiz|scrub|censor|hide|truncat|encrypt|digest|sha\d*|md5|bcrypt|argon|pseudonymi[sz]|tokeniz|last4|lastFour)/i;
const PASS_THROUGH_FUNCS = new Set(['String', 'JSON.stringify', 'util.inspect', 'inspect', 'util.format', 'format']);

/** Is a value safe to write under a sensitive name: constants, booleans, lengths, redacted forms? */
export function isSafeValue(e0: ts.Expression, file: ProjectFile): boolean {
  const e = skipOuter(e0);
  if (ts.isCallExpression(e)) {
    const name = ts.isIdentifier(e.expression) ? e.expression.text : memberName(e.expression);
    if (name && REDACTOR.test(name)) return true;
  }
  if (ts.isPropertyAccessExpression(e) && /^(length|size|count)$/.test(e.name.text)) return true;
  const os = originsOf(e, file);
  return os.length > 0 && os.every((o) => o.k === 'const' || (o.k === 'unknown' && ts.isCallExpression(o.node) && !!o.name && REDACTOR.test(o.name)));
}

/**
 * Personal data or secrets an expression writes: fields named like `isPiiName` (`password`,
 * `user.email`, `{ token }`), request bodies and headers written whole, whole user objects —
 * in object literals (keys and values), templates, concatenations and conversions, and through
 * local variables.
 */
export function piiHits(e0: ts.Expression, file: ProjectFile, isPiiName: (name: string) => string | undefined, depth = 0): PiiHit[] {
  if (depth > 6) return [];
  const e = skipOuter(e0);
  const out: PiiHit[] = [];
  if (ts.isObjectLiteralExpression(e)) {
    for (const p of e.properties) {
      if (ts.isPropertyAssignment(p)) {
        const key = propertyNameText(p.name);
        const entry = key ? isPiiName(key) : undefined;
        if (key && entry && !isSafeValue(p.initializer, file) && !namesOtherThing(p.initializer, entry, isPiiName)) { out.push({ kind: 'field', field: key, node: p.name }); continue; }
        out.push(...piiHits(p.initializer, file, isPiiName, depth + 1));
      } else if (ts.isShorthandPropertyAssignment(p)) {
        if (isPiiName(p.name.text) && !isSafeValue(p.name, file)) { out.push({ kind: 'field', field: p.name.text, node: p.name }); continue; }
        out.push(...piiHits(p.name, file, isPiiName, depth + 1));
      } else if (ts.isSpreadAssignment(p)) out.push(...piiHits(p.expression, file, isPiiName, depth + 1));
    }
    return out;
  }
  if (ts.isTemplateExpression(e)) {
    for (const span of e.templateSpans) out.push(...piiHits(span.expression, file, isPiiName, depth + 1));
    return out;
  }
  if (ts.isArrayLiteralExpression(e)) {
    for (const el of e.elements) out.push(...piiHits(ts.isSpreadElement(el) ? el.expression : el, file, isPiiName, depth + 1));
    return out;
  }
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.PlusToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      return [...piiHits(e.left, file, isPiiName, depth + 1), ...piiHits(e.right, file, isPiiName, depth + 1)];
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return piiHits(e.right, file, isPiiName, depth + 1);
    return [];
  }
  if (ts.isConditionalExpression(e)) return [...piiHits(e.whenTrue, file, isPiiName, depth + 1), ...piiHits(e.whenFalse, file, isPiiName, depth + 1)];
  if (ts.isCallExpression(e)) {
    const callee = skipOuter(e.expression);
    const text = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? `${callee.expression.text}.${callee.name.text}` : undefined;
    if (text && PASS_THROUGH_FUNCS.has(text) && e.arguments[0]) return e.arguments.flatMap((a) => piiHits(a, file, isPiiName, depth + 1));
    if (ts.isPropertyAccessExpression(callee) && PASS_METHODS.has(callee.name.text) && callee.name.text !== 'join') return piiHits(callee.expression, file, isPiiName, depth + 1);
    return [];
  }
  if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const hit = piiOfReference(e, file, isPiiName);
    if (hit) out.push(hit);
  }
  return out;
}

/** `{ token: tokenAddress }`, `{ email: emailVerified }`: the value's own name uses the word for something else. */
function namesOtherThing(value: ts.Expression, entry: string, isPiiName: (name: string) => string | undefined): boolean {
  const v = skipOuter(value);
  const name = ts.isIdentifier(v) ? v.text : ts.isPropertyAccessExpression(v) ? v.name.text : undefined;
  if (!name || isPiiName(name)) return false;
  const words = nameTokens(entry).join('');
  return nameTokens(name).join('').includes(words);
}

function piiOfReference(e: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression, file: ProjectFile, isPiiName: (name: string) => string | undefined): PiiHit | undefined {
  const text = e.getText(file.sf).replace(/\s+/g, '');
  const name = ts.isIdentifier(e) ? e.text : memberName(e);
  if (name && /^(length|size|count)$/.test(name)) return undefined;
  const origins = originsOf(e, file);
  if (origins.length && origins.every((o) => o.k === 'const')) return undefined;
  if (name && isPiiName(name)) return { kind: 'field', field: text, node: e };
  let opaque = origins.length === 0;
  for (const o of origins) {
    if (o.k === 'access') {
      const whole = wholeObjectOf(o);
      if (whole) return { kind: whole, field: text === accessText(o.root, o.path) ? text : `${text} (${accessText(o.root, o.path)})`, node: e };
      const last = o.path[o.path.length - 1];
      if (last && isPiiName(last)) return { kind: 'field', field: o.path.length ? `${text} (${accessText(o.root, o.path)})` : text, node: e };
      if (!o.path.length) opaque = true;
    } else if (o.k === 'unknown') opaque = true;
  }
  // `const user = await users.findById(id); log.info({ user })`: a user record by its name
  if (opaque && name && USER_OBJECT_NAME.test(name) && !ts.isElementAccessExpression(e)) return { kind: 'user', field: text, node: e };
  return undefined;
}

/** `req.body`, `req.headers`, `req.user`, `ctx.state.user`, `session.user` written whole. */
function wholeObjectOf(o: Extract<Origin, { k: 'access' }>): PiiHit['kind'] | undefined {
  let path = o.path;
  const isRequest = (o.rootKind === 'param' && (REQUEST_ROOT.test(o.root) || (o.typeName !== undefined && REQUEST_TYPE.test(o.typeName)))) || (o.rootKind === 'var' && /^(req|request)$/.test(o.root));
  if (isRequest) {
    while (path.length && (path[0] === 'request' || path[0] === 'req' || path[0] === 'raw' || path[0] === 'state')) path = path.slice(1);
    if (path.length === 1 && (path[0] === 'body' || path[0] === 'json()')) return 'body';
    if (path.length === 1 && (path[0] === 'headers' || path[0] === 'header()')) return 'headers';
    if (path.length === 1 && path[0] === 'user') return 'user';
    if (path.length === 2 && path[0] === 'session' && path[1] === 'user') return 'user';
    return undefined;
  }
  if (/^_?session$/.test(o.root) && path.length === 1 && path[0] === 'user') return 'user';
  if (USER_OBJECT_NAME.test(o.root) && path.length === 0 && (o.rootKind === 'param' || o.rootKind === 'var')) return 'user';
  return undefined;
}

/**
 * `req.route?.path || req.path`, `req.route ? req.route.path : req.path`: bounded on one branch,
 * unbounded on the other (the raw path when no route matched) — for a clearer message.
 */
export function isFallbackToUnbounded(e0: ts.Expression, file: ProjectFile, depth = 0): boolean {
  const e = skipOuter(e0);
  if (depth > 3) return false;
  if (ts.isIdentifier(e)) {
    const d = file.values.declarationOf(e);
    return !!d && ts.isVariableDeclaration(d) && !!d.initializer && isFallbackToUnbounded(d.initializer, file, depth + 1);
  }
  let a: ts.Expression | undefined, b: ts.Expression | undefined;
  if (ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.BarBarToken || e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)) { a = e.left; b = e.right; }
  else if (ts.isConditionalExpression(e)) { a = e.whenTrue; b = e.whenFalse; }
  if (!a || !b) return false;
  return (isBoundedValue(a, file) && !!unboundedValue(b, file)) || (isBoundedValue(b, file) && !!unboundedValue(a, file));
}
