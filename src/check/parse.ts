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
import { LineCounter, parseDocument } from 'yaml';
import { Locator, describeSchemaError, firstLine, sortErrors, type Path } from './locate.js';
import { PROXY_SCHEMES, URL_SCHEMES, absoluteUrlProblem, isAbsoluteLike, parsePin, urlShapeProblem } from './values.js';
import { interpolate, parseTemplate } from './interpolate.js';
import { RESOLVE_PATTERN, checksSchemaValidator } from './schema.js';
import { didYouMean } from './suggest.js';
import { resolveConnection } from './connection.js';
import type { CheckPlan, ChecksFile, Environment, ResolvedCheck, ResolvedEnvironment, TlsVersionName } from './types.js';
import type { ChecksFileError } from '../model/check.js';

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

// parsePin moved to values.ts with the other value checks; re-exported for parse's callers.

/** The environment of a file that defines none (then `--env` may be left out). */
export const DEFAULT_ENVIRONMENT = 'default';


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
  const fill = variableFiller(env.variables ?? {}, processEnv, envName, loc, errors);
  const environment = resolveEnvironment(env, envName, fill, loc, errors);
  const checks = resolveChecks(file, env, environment, envName, fill, loc, checkLines, errors);
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, plan: { environment, checks } };
}

/** Fills `${name}` in one value of the file, or records why it cannot (then undefined). */
type Fill = (s: string, path: Path, what: string) => string | undefined;

/**
 * `${name}` from the environment's variables, else the process environment. A variable's value may
 * use other variables (expanded in turn); one that comes back to itself is an error naming the loop,
 * and so is a value that uses an undefined name.
 */
function variableFiller(vars: Record<string, string>, processEnv: Record<string, string | undefined>, envName: string, loc: Locator, errors: ChecksFileError[]): Fill {
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
  return (s, path, what) => {
    nested = undefined;
    const r = interpolate(s, lookup);
    if (r.ok) return r.value;
    errors.push(
      loc.at(path, nested ? `${nested}, in ${what}` : `${r.message} in ${what}: not in environments.${envName}.variables nor the process environment`),
    );
    return undefined;
  };
}

/** The environment's base URL, proxy, CA file, connection flags and --resolve pins, each filled and checked. */
function resolveEnvironment(env: Environment, envName: string, fill: Fill, loc: Locator, errors: ChecksFileError[]): ResolvedEnvironment {
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

  return environment;
}

/** Each check's URL (a path joined to baseUrl) and headers, filled and checked. */
function resolveChecks(file: ChecksFile, env: Environment, environment: ResolvedEnvironment, envName: string, fill: Fill, loc: Locator, checkLines: number[], errors: ChecksFileError[]): ResolvedCheck[] {
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

  return checks;
}

