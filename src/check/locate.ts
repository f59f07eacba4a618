/**
 * Where a checks-file problem is (`file:line:column` of the YAML node) and how a schema error reads
 * in plain words. Used by parse.ts.
 *
 * @example
 *   const loc = new Locator(doc, lineCounter, 'checks.yaml');
 *   describeSchemaError(ajvError, loc); // { file: 'checks.yaml', line: 9, column: 7, message: "unknown key 'protocl' in expect (did you mean protocol?)" }
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { didYouMean } from './suggest.js';
import { CODES } from '../model/codes.js';
import type { ChecksFileError } from '../model/check.js';

/** Most errors reported for one file. */
export const MAX_ERRORS = 100;

export type Path = Array<string | number>;

// ---------------------------------------------------------------------------------------------
// Positions

export class Locator {
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

export function sortErrors(errors: ChecksFileError[]): ChecksFileError[] {
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

export function firstLine(s: string): string {
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

export function describeSchemaError(e: ErrorObject, loc: Locator): ChecksFileError | undefined {
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

