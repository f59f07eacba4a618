/**
 * RFC 9457 Problem Details: recognise the media type, parse `application/problem+json` bodies, check member
 * types, keep extension members, and pick out the links an operator wants (a migration guide, say).
 * Total: every outcome is a value; bounded by {@link MAX_PROBLEM_BODY}.
 *
 * @example
 * const r = parseProblem('application/problem+json; charset=utf-8', '{"title":"Upgrade Required","status":426}');
 * if (r.ok) r.problem.title; // 'Upgrade Required'
 */
import { parseParams, trimOws } from './fields.js';

/** Bodies longer than this (in UTF-16 code units) are not parsed. */
export const MAX_PROBLEM_BODY = 64 * 1024;
/** Extension members kept; more are dropped with a warning. */
export const MAX_EXTENSION_MEMBERS = 64;
/** Links collected from nested extension values; deeper or further ones are not visited. */
export const MAX_LINKS = 32;
const MAX_LINK_DEPTH = 4;

// RFC 9457 §6.1: the two registered media types.
export const PROBLEM_JSON = 'application/problem+json';
export const PROBLEM_XML = 'application/problem+xml';

export interface ParsedMediaType {
  /** `type/subtype`, lower-cased (RFC 9110 §8.3.1: case-insensitive). */
  essence: string;
  params: Record<string, string>;
}

/**
 * Parse a `Content-Type` value (RFC 9110 §8.3.1): `type "/" subtype *( OWS ";" OWS parameter )`.
 *
 * @example parseMediaType('Application/Problem+JSON; charset="utf-8"') // { essence: 'application/problem+json', params: { charset: 'utf-8' } }
 */
export function parseMediaType(contentType: string | undefined | null): ParsedMediaType | undefined {
  if (!contentType || contentType.length > 1024) return undefined;
  const semi = contentType.indexOf(';');
  const essence = trimOws(semi < 0 ? contentType : contentType.slice(0, semi)).toLowerCase();
  if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+\/[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(essence)) return undefined;
  const params: Record<string, string> = {};
  // Parameters are tolerated, never required: a broken parameter list leaves the media type intact.
  if (semi >= 0) for (const [k, v] of parseParams(contentType.slice(semi)).params) if (v !== undefined && !Object.hasOwn(params, k)) params[k] = v;
  return { essence, params };
}

/** Which Problem Details serialisation a `Content-Type` names, if any. */
export function problemMediaKind(contentType: string | undefined | null): 'json' | 'xml' | undefined {
  const m = parseMediaType(contentType);
  if (m?.essence === PROBLEM_JSON) return 'json';
  if (m?.essence === PROBLEM_XML) return 'xml';
  return undefined;
}

/** A member whose value is an absolute http(s) URL, by JSON Pointer (RFC 6901), e.g. `/migration_guide`. */
export interface ProblemLink {
  pointer: string;
  url: string;
}

export interface ProblemDetails {
  /** RFC 9457 §3.1.1: absent (or ignored) means `about:blank`. */
  type: string;
  status?: number;
  title?: string;
  detail?: string;
  instance?: string;
  /** Every other top-level member, as sent (RFC 9457 §3.2), at most {@link MAX_EXTENSION_MEMBERS}. */
  extensions: Record<string, unknown>;
  /** http(s) URLs found in `type`, `instance` and extension members (nested up to 4 levels). */
  links: ProblemLink[];
}

export type ProblemWarningCode =
  | 'member-wrong-type'
  | 'status-out-of-range'
  | 'status-mismatch'
  | 'extension-name-unusual'
  | 'extensions-truncated'
  | 'charset-not-utf8';

export interface ProblemWarning {
  code: ProblemWarningCode;
  /** JSON Pointer of the member concerned, if any. */
  pointer?: string;
  message: string;
}

export type ProblemFailure = 'not-problem' | 'xml-not-parsed' | 'too-large' | 'invalid-json' | 'not-an-object';

export type ProblemResult =
  | { ok: true; problem: ProblemDetails; warnings: ProblemWarning[] }
  /** `recognized`: the media type was a Problem Details one (so `not-problem` never has it). */
  | { ok: false; reason: ProblemFailure; recognized: boolean; message: string };

export interface ParseProblemOptions {
  /** The response's status code: a differing `status` member is reported (RFC 9457 §3.1.2). */
  httpStatus?: number;
}

const STANDARD_MEMBERS = {
  type: 'string',
  status: 'number',
  title: 'string',
  detail: 'string',
  instance: 'string',
} as const;

/**
 * Decide whether a response carries Problem Details and parse it.
 *
 * @example
 * parseProblem('application/problem+xml', '<problem/>') // { ok: false, reason: 'xml-not-parsed', recognized: true, … }
 */
export function parseProblem(contentType: string | undefined | null, body: string, options: ParseProblemOptions = {}): ProblemResult {
  const media = parseMediaType(contentType);
  const kind = media?.essence === PROBLEM_JSON ? 'json' : media?.essence === PROBLEM_XML ? 'xml' : undefined;
  if (kind === undefined) return { ok: false, reason: 'not-problem', recognized: false, message: `media type ${media?.essence ?? '(none)'} is not Problem Details` };
  if (kind === 'xml') return { ok: false, reason: 'xml-not-parsed', recognized: true, message: `${PROBLEM_XML} is recognised but not parsed` };
  if (body.length > MAX_PROBLEM_BODY) return { ok: false, reason: 'too-large', recognized: true, message: `body of ${body.length} characters exceeds ${MAX_PROBLEM_BODY}` };

  const warnings: ProblemWarning[] = [];
  const charset = media!.params['charset']?.toLowerCase();
  // RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8.
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') warnings.push({ code: 'charset-not-utf8', message: `charset=${charset}; JSON must be UTF-8` });

  let doc: unknown;
  try {
    doc = JSON.parse(body.charCodeAt(0) === 0xfeff ? body.slice(1) : body);
  } catch (e) {
    return { ok: false, reason: 'invalid-json', recognized: true, message: `not JSON: ${(e as Error).message}` };
  }
  // RFC 9457 §3: a problem details object is a JSON object.
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    return { ok: false, reason: 'not-an-object', recognized: true, message: `top-level JSON is ${Array.isArray(doc) ? 'an array' : doc === null ? 'null' : typeof doc}` };
  }

  const problem: ProblemDetails = { type: 'about:blank', extensions: {}, links: [] };
  let extensionCount = 0;
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const pointer = `/${escapePointer(key)}`;
    if (Object.hasOwn(STANDARD_MEMBERS, key)) {
      const expected = STANDARD_MEMBERS[key as keyof typeof STANDARD_MEMBERS];
      // RFC 9457 §3.1: a member whose value has the wrong type MUST be ignored by consumers.
      if (typeof value !== expected || (key === 'status' && !Number.isInteger(value))) {
        warnings.push({ code: 'member-wrong-type', pointer, message: `"${key}" should be ${key === 'status' ? 'an integer' : 'a string'}, got ${jsonType(value)}; ignored` });
        continue;
      }
      if (key === 'status') {
        const status = value as number;
        // RFC 9457 §3.1.2: the HTTP status code; RFC 9110 §15: three digits, 100–599.
        if (status < 100 || status > 599) {
          warnings.push({ code: 'status-out-of-range', pointer, message: `status ${status} is not an HTTP status code; ignored` });
          continue;
        }
        problem.status = status;
        // RFC 9457 §3.1.2: generators MUST use the same status code as the response; consumers may notice.
        if (options.httpStatus !== undefined && status !== options.httpStatus) {
          warnings.push({ code: 'status-mismatch', pointer, message: `status member ${status} differs from the response status ${options.httpStatus}` });
        }
      } else {
        problem[key as 'type' | 'title' | 'detail' | 'instance'] = value as string;
      }
      continue;
    }
    if (extensionCount >= MAX_EXTENSION_MEMBERS) {
      if (extensionCount === MAX_EXTENSION_MEMBERS) warnings.push({ code: 'extensions-truncated', message: `more than ${MAX_EXTENSION_MEMBERS} extension members; the rest are dropped` });
      extensionCount++;
      continue;
    }
    extensionCount++;
    // RFC 9457 §3.2: extension member names SHOULD start with a letter, use ALPHA / DIGIT / "_", and be 3+ characters.
    if (!/^[A-Za-z][A-Za-z0-9_]{2,}$/.test(key)) {
      warnings.push({ code: 'extension-name-unusual', pointer, message: `extension member name ${JSON.stringify(key.slice(0, 64))} is not ALPHA *( ALPHA / DIGIT / "_" ) of 3+ characters` });
    }
    // defineProperty: a "__proto__" member must stay data, not become the prototype.
    Object.defineProperty(problem.extensions, key, { value, enumerable: true, writable: true, configurable: true });
  }

  const links: ProblemLink[] = [];
  for (const key of ['type', 'instance'] as const) {
    const url = httpUrl(problem[key]);
    if (url) links.push({ pointer: `/${key}`, url });
  }
  for (const [key, value] of Object.entries(problem.extensions)) collectLinks(value, `/${escapePointer(key)}`, 0, links);
  problem.links = links;
  return { ok: true, problem, warnings };
}

/** The first link whose pointer matches `re` (e.g. `/guide|migration|docs/i`). */
export function findProblemLink(problem: ProblemDetails, re: RegExp): ProblemLink | undefined {
  return problem.links.find((l) => re.test(l.pointer));
}

function collectLinks(value: unknown, pointer: string, depth: number, out: ProblemLink[]): void {
  if (out.length >= MAX_LINKS) return;
  const url = httpUrl(value);
  if (url) {
    out.push({ pointer, url });
    return;
  }
  if (depth >= MAX_LINK_DEPTH || typeof value !== 'object' || value === null) return;
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [k, v] of entries) {
    if (out.length >= MAX_LINKS) return;
    collectLinks(v, `${pointer}/${escapePointer(k)}`, depth + 1, out);
  }
}

/** The value as an absolute http(s) URL string, or undefined. */
function httpUrl(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length > 2048 || !/^https?:\/\//i.test(v)) return undefined;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

// RFC 6901 §3: "~" is written "~0" and "/" is written "~1".
function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'number' && !Number.isInteger(v)) return 'a non-integer number';
  return `a ${typeof v}`;
}
