/**
 * Reads a checks file: YAML → schema (`schema.ts`) → meaning (names, URLs, pins, variables).
 * Every problem points at the offending node as `file:line:column`; nothing is connected to.
 * Never throws.
 *
 * @example
 *   const r = parseChecksFile(text, 'checks.yaml', { env: 'prod', processEnv: process.env });
 *   if (!r.ok) for (const e of r.errors) console.error(formatChecksFileError(e));
 *   else run(r.plan!.checks);
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { CODES } from '../model/codes.js';
import { interpolate, parseTemplate } from './interpolate.js';
import { RESOLVE_PATTERN, checksSchemaValidator } from './schema.js';
import { didYouMean } from './suggest.js';
import { resolveConnection } from './connection.js';
import type {
  CheckPlan,
  ChecksFile,
  ChecksFileError,
  ResolvePin,
  ResolvedCheck,
  ResolvedEnvironment,
  TlsVersionName,
} from './types.js';

export interface ParseChecksOptions {
  /** The environment to plan for (`--env`); checked to exist, and every `${var}` resolved in it. */
  env?: string;
  /** Consulted for `${NAME}` not defined in the environment's variables (the CLI passes `io.env`). */
  processEnv?: Record<string, string | undefined>;
}

export type ParseChecksResult =
  | {
      ok: true;
      file: ChecksFile;
      /** 1-based line of each check, in file order. */
      checkLines: number[];
      /** Present when `opts.env` was given. */
      plan?: CheckPlan;
    }
  | { ok: false; errors: ChecksFileError[] };

type Path = Array<string | number>;

/** The environment of a file that defines none (then `--env` may be left out). */
export const DEFAULT_ENVIRONMENT = 'default';

const URL_SCHEMES = ['http:', 'https:', 'ws:', 'wss:'];
const PROXY_SCHEMES = ['http:', 'https:'];
const MAX_ERRORS = 100;

/**
 * Parses and validates a checks file.
 *
 * @example
 *   parseChecksFile('version: 1\nchecks: []\n', 'c.yaml');
 *   // { ok: false, errors: [{ file: 'c.yaml', line: 2, column: 9, message: 'checks must have at least 1 item' }] }
 */
export function parseChecksFile(text: string, fileName: string, opts: ParseChecksOptions = {}): ParseChecksResult {
  try {
    return parseInner(text, fileName, opts);
  } catch (err) {
    // Defensive: a bug here must still end in a clear message, never a stack trace.
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, errors: [{ file: fileName, line: 1, column: 1, message: `cannot read the checks file: ${message}` }] };
  }
}

/** `file:line:column: message`, the form editors and CI logs link. */
export function formatChecksFileError(e: ChecksFileError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}

function parseInner(text: string, fileName: string, opts: ParseChecksOptions): ParseChecksResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const loc = new Locator(doc, lineCounter, fileName);

  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: sortErrors(doc.errors.map((e) => loc.atOffset(e.pos[0], `YAML: ${firstLine(e.message)}`))),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, errors: [loc.atOffset(0, `YAML: ${err instanceof Error ? err.message : String(err)}`)] };
  }
  if (data === null || data === undefined) {
    return {
      ok: false,
      errors: [loc.atOffset(0, 'the file is empty: expected a mapping with version, environments and checks')],
    };
  }

  const errors: ChecksFileError[] = [];
  const validate = checksSchemaValidator();
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      const err = describeSchemaError(e, loc);
      if (err) errors.push(err);
    }
  }
  errors.push(...semanticErrors(data, loc));

  if (errors.length > 0) return { ok: false, errors: sortErrors(errors) };

  const file = normalise(data as ChecksFile);
  const checkLines = file.checks.map((_, i) => loc.at(['checks', i], '').line);
  if (opts.env === undefined) return { ok: true, file, checkLines };

  const planned = plan(file, opts.env, opts.processEnv ?? {}, loc, checkLines);
  if (!planned.ok) return { ok: false, errors: sortErrors(planned.errors) };
  return { ok: true, file, checkLines, plan: planned.plan };
}

// ---------------------------------------------------------------------------------------------
// Positions

class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly file: string,
  ) {}

  atOffset(offset: number, message: string): ChecksFileError {
    const { line, col } = this.lines.linePos(Math.max(0, offset));
    return { file: this.file, line, column: col, message };
  }

  /**
   * An error at the node `path` leads to: its value, or with `where: 'key'` the key naming it.
   * When the path ends early (a missing key), the deepest node reached.
   */
  at(path: Path, message: string, where: 'value' | 'key' = 'value'): ChecksFileError {
    const found = this.walk(path);
    let node: Node | null | undefined;
    if (found.complete && where === 'key' && found.key) node = found.key;
    else if (found.complete && found.node?.range) node = found.node;
    else node = found.key ?? found.node;
    const offset = node?.range?.[0] ?? 0;
    return this.atOffset(offset, message);
  }

  private walk(path: Path): { node: Node | null | undefined; key?: Node; complete: boolean } {
    let node: Node | null | undefined = this.doc.contents as Node | null;
    let key: Node | undefined;
    for (const seg of path) {
      if (isAlias(node)) node = node.resolve(this.doc) as Node | undefined;
      if (isMap(node)) {
        const items: Array<{ key: unknown; value: unknown }> = node.items;
        const pair = items.find((p) => keyText(p.key) === String(seg));
        if (!pair) return { node, key, complete: false };
        key = isNode(pair.key) ? pair.key : undefined;
        if (!isNode(pair.value)) return { node: undefined, key, complete: false };
        node = pair.value;
      } else if (isSeq(node)) {
        const item: unknown = node.items[Number(seg)];
        if (!isNode(item)) return { node, key, complete: false };
        node = item;
        key = undefined;
      } else {
        return { node, key, complete: false };
      }
    }
    return { node, key, complete: true };
  }
}

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'range' in x;
}

function keyText(k: unknown): string | undefined {
  if (isScalar(k)) return String(k.value);
  if (typeof k === 'string' || typeof k === 'number') return String(k);
  return undefined;
}

function sortErrors(errors: ChecksFileError[]): ChecksFileError[] {
  const seen = new Set<string>();
  const out: ChecksFileError[] = [];
  for (const e of errors) {
    const k = `${e.line}:${e.column}:${e.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(e);
  }
  out.sort((a, b) => a.line - b.line || a.column - b.column);
  return out.slice(0, MAX_ERRORS);
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}

// ---------------------------------------------------------------------------------------------
// Schema errors, in plain words

function pathOf(e: ErrorObject): Path {
  if (e.instancePath === '') return [];
  return e.instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** What a path names, for messages: 'the file', 'check', "environment 'prod'", 'status', 'resolve[1]'. */
function contextName(path: Path): string {
  if (path.length === 0) return 'the file';
  if (path.length === 2 && path[0] === 'checks') return 'check';
  if (path.length === 2 && path[0] === 'environments') return `environment '${path[1]}'`;
  return label(path);
}

function label(path: Path): string {
  const last = path[path.length - 1];
  if (last === undefined) return 'the file';
  if (/^\d+$/.test(String(last)) && path.length >= 2) return `${String(path[path.length - 2])}[${String(last)}]`;
  return String(last);
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return `'${v.length > 60 ? v.slice(0, 57) + '...' : v}'`;
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'nothing',
};

function describeSchemaError(e: ErrorObject, loc: Locator): ChecksFileError | undefined {
  // Reported once, through the `propertyNames` error that wraps it.
  if (e.schemaPath.includes('/propertyNames/')) return undefined;
  const path = pathOf(e);
  const p = e.params as Record<string, unknown>;
  const parentProps = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
  const name = label(path);

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      return loc.at([...path, key], `unknown key '${key}' in ${contextName(path)}${didYouMean(key, parentProps)}`, 'key');
    }
    case 'required':
      return loc.at(path, `${contextName(path)} is missing the required key '${String(p.missingProperty)}'`);
    case 'type': {
      const types = Array.isArray(p.type) ? (p.type as string[]) : [String(p.type)];
      const want = types.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
      return loc.at(path, `${name} must be ${want}, not ${show(e.data)}`);
    }
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).filter((v): v is string => typeof v === 'string');
      const got = typeof e.data === 'string' ? e.data : undefined;
      if (path.includes('noFindings')) {
        return loc.at(
          path,
          `unknown finding code ${show(e.data)}${got ? didYouMean(got, Object.keys(CODES)) : ''}; the codes are listed in docs/codes.md`,
        );
      }
      const list = allowed.map((v) => `'${v}'`).join(', ');
      return loc.at(path, `${name} must be one of ${list}, not ${show(e.data)}${got ? didYouMean(got, allowed) : ''}`);
    }
    case 'const':
      return loc.at(path, `${name} must be ${JSON.stringify(p.allowedValue)}, not ${show(e.data)}`);
    case 'pattern': {
      const parent = path[path.length - 2];
      if (parent === 'resolve') {
        return loc.at(path, `resolve entry ${show(e.data)} must look like host:port:address (e.g. api.example.com:443:127.0.0.1)`);
      }
      if (name === 'method') return loc.at(path, `method ${show(e.data)} is not an HTTP method name`);
      return loc.at(path, `${name} ${show(e.data)} must match ${String(p.pattern)}`);
    }
    case 'propertyNames': {
      const key = String(p.propertyName);
      const owner = path[path.length - 1];
      const why =
        owner === 'variables'
          ? `variable name '${key}' must be letters, digits and _, not starting with a digit`
          : owner === 'environments'
            ? `environment name '${key}' must be letters, digits, '.', '_' or '-'`
            : owner === 'headers'
              ? `header name '${key}' is not a valid HTTP field name`
              : `invalid key '${key}' in ${contextName(path)}`;
      return loc.at([...path, key], why, 'key');
    }
    case 'minimum':
    case 'maximum':
      return loc.at(path, `${name} must be ${String(p.comparison)} ${String(p.limit)}, not ${show(e.data)}`);
    case 'minLength':
      return loc.at(path, `${name} must not be empty`);
    case 'minItems':
      return loc.at(path, `${name} must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`);
    case 'minProperties':
      if (name === 'expect') {
        return loc.at(path, `expect needs at least one expectation (${parentProps.join(', ')})`);
      }
      return loc.at(path, `${name} must not be empty`);
    case 'uniqueItems': {
      const later = Math.max(Number(p.i), Number(p.j));
      const item = Array.isArray(e.data) ? (e.data as unknown[])[later] : undefined;
      return loc.at([...path, later], `${name} lists ${show(item)} twice`);
    }
    default:
      return loc.at(path, `${name} ${e.message ?? 'is invalid'}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Meaning: what a schema cannot say. Defensive: runs on data that may have failed the schema.

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function semanticErrors(data: unknown, loc: Locator): ChecksFileError[] {
  const errors: ChecksFileError[] = [];
  if (!isObj(data)) return errors;
  const envs = isObj(data.environments) ? data.environments : {};
  const checks = Array.isArray(data.checks) ? (data.checks as unknown[]) : [];

  // Templates, and URLs whose shape is known before variables are filled in.
  for (const [envName, env] of Object.entries(envs)) {
    if (!isObj(env)) continue;
    const at = (k: string | number, ...rest: Path): Path => ['environments', envName, k, ...rest];
    for (const key of ['baseUrl', 'proxy', 'cacert'] as const) {
      const v = env[key];
      if (typeof v !== 'string') continue;
      const t = parseTemplate(v);
      if (!t.ok) {
        errors.push(loc.at(at(key), t.message));
        continue;
      }
      if (key === 'cacert') continue;
      const problem = urlShapeProblem(v, key === 'proxy' ? PROXY_SCHEMES : URL_SCHEMES, key);
      if (problem) errors.push(loc.at(at(key), problem));
    }
    if (Array.isArray(env.resolve)) {
      env.resolve.forEach((pin, i) => {
        if (typeof pin !== 'string' || !new RegExp(RESOLVE_PATTERN).test(pin)) return; // the schema said so
        if (pin.includes('${')) {
          // Checked again, as a pin, once the variables are filled in (plan()).
          const t = parseTemplate(pin);
          if (!t.ok) errors.push(loc.at(at('resolve', i), t.message));
          return;
        }
        const parsed = parsePin(pin);
        if (!parsed.ok) errors.push(loc.at(at('resolve', i), parsed.message));
      });
    }
  }

  const anyBaseUrl = Object.values(envs).some((e) => isObj(e) && typeof e.baseUrl === 'string');
  const firstByName = new Map<string, number>();
  checks.forEach((c, i) => {
    if (!isObj(c)) return;
    if (typeof c.name === 'string') {
      const first = firstByName.get(c.name);
      if (first === undefined) firstByName.set(c.name, i);
      else {
        const firstLine = loc.at(['checks', first, 'name'], '').line;
        errors.push(loc.at(['checks', i, 'name'], `duplicate check name '${c.name}' (first used on line ${firstLine})`));
      }
    }
    if (typeof c.url === 'string') {
      const t = parseTemplate(c.url);
      if (!t.ok) errors.push(loc.at(['checks', i, 'url'], t.message));
      else if (isAbsoluteLike(c.url)) {
        const problem = urlShapeProblem(c.url, URL_SCHEMES, 'url');
        if (problem) errors.push(loc.at(['checks', i, 'url'], problem));
      } else if (!c.url.startsWith('${') && !anyBaseUrl) {
        errors.push(loc.at(['checks', i, 'url'], `url '${c.url}' is a path, but no environment defines a baseUrl to join it to`));
      }
    }
    if (isObj(c.headers)) {
      for (const [h, v] of Object.entries(c.headers)) {
        if (typeof v !== 'string') continue;
        const t = parseTemplate(v);
        if (!t.ok) errors.push(loc.at(['checks', i, 'headers', h], t.message));
      }
    }
  });
  return errors;
}

function isAbsoluteLike(url: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url);
}

/**
 * What is wrong with an absolute URL, judged with every `${var}` replaced by a stand-in;
 * undefined when it looks right, or when a variable supplies the scheme or host.
 */
function urlShapeProblem(url: string, schemes: readonly string[], what: string): string | undefined {
  if (url.startsWith('${')) return undefined;
  if (!isAbsoluteLike(url)) return `${what} '${url}' must be an absolute URL (${schemeList(schemes)})`;
  if (!url.includes('${')) return absoluteUrlProblem(url, url, schemes, what);
  // A variable may stand for a host, a port or a path: fine if any stand-in makes a good URL.
  const problems = ['x', '1'].map((stand) => absoluteUrlProblem(url.replace(/\$\{[^}]*\}/g, stand), url, schemes, what));
  return problems.includes(undefined) ? undefined : problems[0];
}

function absoluteUrlProblem(candidate: string, shown: string, schemes: readonly string[], what: string): string | undefined {
  let u: URL;
  try {
    u = new URL(candidate);
  } catch {
    return `${what} '${shown}' is not a valid URL`;
  }
  if (!schemes.includes(u.protocol)) {
    const hint = /^[a-z0-9.-]+:\d+/i.test(shown) ? ` (did you forget '${schemes.includes('https:') ? 'https' : 'http'}://'?)` : '';
    return `${what} '${shown}' must use ${schemeList(schemes)}${hint}`;
  }
  if (!u.hostname) return `${what} '${shown}' has no host`;
  return undefined;
}

function schemeList(schemes: readonly string[]): string {
  const names = schemes.map((s) => s.slice(0, -1));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] ?? '');
}

/** `host:port:address[,address…]`, as curl's --resolve. */
export function parsePin(pin: string): { ok: true; pins: ResolvePin[] } | { ok: false; message: string } {
  const m = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5}):(.+)$/.exec(pin);
  if (!m) return { ok: false, message: `resolve entry '${pin}' must look like host:port:address` };
  const host = m[1]!.replace(/^\[|\]$/g, '');
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return { ok: false, message: `resolve entry '${pin}': port ${port} is not between 1 and 65535` };
  const pins: ResolvePin[] = [];
  for (const raw of m[3]!.split(',')) {
    const address = raw.trim().replace(/^\[|\]$/g, '');
    if (!isIpLiteral(address)) {
      return { ok: false, message: `resolve entry '${pin}': '${raw.trim()}' is not an IP address` };
    }
    pins.push({ host, port, address });
  }
  return { ok: true, pins };
}

function isIpLiteral(s: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return v4.slice(1).every((o) => Number(o) <= 255 && (o === '0' || !o.startsWith('0')));
  if (!s.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  try {
    // The URL parser implements the IPv6 text grammar (RFC 4291 §2.2).
    new URL(`http://[${s}]/`);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Normalisation and planning

function normalise(raw: ChecksFile): ChecksFile {
  const file = structuredClone(raw);
  for (const env of Object.values(file.environments ?? {})) {
    if (env.variables) {
      env.variables = Object.fromEntries(Object.entries(env.variables).map(([k, v]) => [k, String(v)]));
    }
  }
  for (const c of file.checks) {
    const e = c.expect as { minTls?: unknown; alpnIncludes?: unknown };
    if (typeof e.minTls === 'number') e.minTls = e.minTls.toFixed(1) as TlsVersionName;
    if (typeof e.alpnIncludes === 'string') e.alpnIncludes = [e.alpnIncludes];
  }
  return file;
}

function plan(
  file: ChecksFile,
  envName: string,
  processEnv: Record<string, string | undefined>,
  loc: Locator,
  checkLines: number[],
): { ok: true; plan: CheckPlan } | { ok: false; errors: ChecksFileError[] } {
  const envs = file.environments ?? {};
  const names = Object.keys(envs);
  // A file without environments (absolute URLs only) runs in an empty one named 'default'.
  const env = Object.prototype.hasOwnProperty.call(envs, envName)
    ? envs[envName]
    : names.length === 0 && envName === DEFAULT_ENVIRONMENT
      ? {}
      : undefined;
  if (!env) {
    const defined = names.length > 0 ? `; the file defines ${names.map((n) => `'${n}'`).join(', ')}` : '; the file defines no environments';
    return {
      ok: false,
      errors: [loc.at(['environments'], `unknown environment '${envName}'${didYouMean(envName, names)}${defined}`, 'key')],
    };
  }
  const errors: ChecksFileError[] = [];
  const vars = env.variables ?? {};
  // A variable's value may use other variables (expanded in turn); one that comes back to itself
  // is an error naming the loop, and so is a value that uses an undefined name.
  const expanding: string[] = [];
  let nested: string | undefined;
  const lookup = (n: string): string | undefined => {
    if (!Object.prototype.hasOwnProperty.call(vars, n)) return processEnv[n];
    if (expanding.includes(n)) {
      nested ??= `variables ${[...expanding.slice(expanding.indexOf(n)), n].map((x) => `'${x}'`).join(' → ')} refer to each other (recursive)`;
      return undefined;
    }
    if (expanding.length >= 16) {
      nested ??= `variables nested more than 16 deep (${expanding.join(' → ')})`;
      return undefined;
    }
    expanding.push(n);
    try {
      const r = interpolate(vars[n]!, lookup);
      if (!r.ok) nested ??= `variable '${n}': ${r.message}`;
      return r.ok ? r.value : undefined;
    } finally {
      expanding.pop();
    }
  };
  const fill = (s: string, path: Path, what: string): string | undefined => {
    nested = undefined;
    const r = interpolate(s, lookup);
    if (r.ok) return r.value;
    errors.push(
      loc.at(path, nested ? `${nested}, in ${what}` : `${r.message} in ${what}: not in environments.${envName}.variables nor the process environment`),
    );
    return undefined;
  };
  const envPath = (k: string): Path => ['environments', envName, k];

  const environment: ResolvedEnvironment = { name: envName, resolve: [] };
  if (env.baseUrl !== undefined) {
    const v = fill(env.baseUrl, envPath('baseUrl'), 'baseUrl');
    if (v !== undefined) {
      const problem = absoluteUrlProblem(v, v, URL_SCHEMES, 'baseUrl');
      if (problem) errors.push(loc.at(envPath('baseUrl'), problem));
      else environment.baseUrl = v;
    }
  }
  if (env.proxy !== undefined) {
    const v = fill(env.proxy, envPath('proxy'), 'proxy');
    if (v !== undefined) {
      const problem = absoluteUrlProblem(v, v, PROXY_SCHEMES, 'proxy');
      if (problem) errors.push(loc.at(envPath('proxy'), problem));
      else environment.proxy = v;
    }
  }
  if (env.cacert !== undefined) {
    const v = fill(env.cacert, envPath('cacert'), 'cacert');
    if (v !== undefined) {
      environment.cacert = v;
      environment.cacertLine = loc.at(envPath('cacert'), '').line;
    }
  }
  const connection = resolveConnection(env, fill, ['environments', envName], (path) => loc.at(path, '').line);
  if (connection.length > 0) environment.connection = connection;
  (env.resolve ?? []).forEach((pin, i) => {
    const path: Path = [...envPath('resolve'), i];
    const v = pin.includes('${') ? fill(pin, path, 'resolve entry') : pin;
    if (v === undefined) return;
    const p = parsePin(v);
    if (p.ok) environment.resolve.push(...p.pins);
    else errors.push(loc.at(path, v === pin ? p.message : `${p.message} (from '${pin}')`));
  });

  const checks: ResolvedCheck[] = [];
  file.checks.forEach((c, i) => {
    const urlPath: Path = ['checks', i, 'url'];
    const filled = fill(c.url, urlPath, 'url');
    const headers: Record<string, string> = {};
    for (const [h, v] of Object.entries(c.headers ?? {})) {
      const hv = fill(v, ['checks', i, 'headers', h], `header ${h}`);
      if (hv !== undefined) headers[h] = hv;
    }
    if (filled === undefined) return;
    let url: string;
    if (isAbsoluteLike(filled)) {
      url = filled;
    } else if (environment.baseUrl !== undefined) {
      url = environment.baseUrl.replace(/\/+$/, '') + '/' + filled.replace(/^\/+/, '');
    } else {
      if (env.baseUrl === undefined) {
        errors.push(loc.at(urlPath, `url '${c.url}' is a path, but environment '${envName}' has no baseUrl`));
      }
      return;
    }
    const problem = absoluteUrlProblem(url, url, URL_SCHEMES, 'url');
    if (problem) {
      errors.push(loc.at(urlPath, problem));
      return;
    }
    checks.push({
      name: c.name,
      env: envName,
      url: new URL(url).href,
      method: c.method ?? 'GET',
      headers,
      expect: c.expect,
      line: checkLines[i] ?? 1,
    });
  });

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: { environment, checks } };
}

