/**
 * End-of-support announcements: `Deprecation` (RFC 9745, and the forms older drafts used), `Sunset`
 * (RFC 8594) and `Link` (RFC 8288) with the relations that point at deprecation notes, sunset policies
 * and successors. All dates come out as ISO 8601 strings. Total: malformed input gives a value, not a throw.
 *
 * @example
 * parseDeprecation('@1688169599') // { malformed: false, form: 'rfc9745-date', deprecated: true, date: '2023-06-30T23:59:59.000Z' }
 */
import { type FieldInput, joinFieldLines, MAX_FIELD_LENGTH, parseHttpDate, type HttpDateForm, parseParams, splitList, trimOws } from './fields.js';

/**
 * How `Deprecation` was written:
 * - `rfc9745-date`: a Structured Field Date, `@<seconds since the epoch>` (RFC 9745 §2.1, RFC 9651 §3.3.7);
 * - `draft-boolean`: `true` or `?1`, from drafts before RFC 9745 (no date);
 * - `draft-http-date`: an HTTP-date, from drafts before RFC 9745.
 */
export type DeprecationForm = 'rfc9745-date' | 'draft-boolean' | 'draft-http-date';

export type DeprecationHeader =
  | {
      malformed: false;
      form: DeprecationForm;
      /** false only for the draft `false` / `?0`. */
      deprecated: boolean;
      /** When the resource is (or was) deprecated, ISO 8601; absent for the boolean form. */
      date?: string;
    }
  | { malformed: true; reason: string };

// RFC 9651 §3.3.1: an sf-integer has at most 15 digits.
const SF_DATE = /^@(-?\d{1,15})$/;
// Date's range: ±8.64e15 ms (ECMA-262 §21.4.1.22).
const MAX_EPOCH_SECONDS = 8.64e12;

/**
 * Parse `Deprecation`; undefined when the field is absent. Structured-field parameters after the date are
 * tolerated and ignored (RFC 9745 defines none).
 *
 * @example parseDeprecation('Sun, 11 Nov 2018 23:59:59 GMT') // { …, form: 'draft-http-date', date: '2018-11-11T23:59:59.000Z' }
 */
export function parseDeprecation(value: FieldInput, now?: Date): DeprecationHeader | undefined {
  const joined = joinFieldLines(value);
  if (joined === undefined) return undefined;
  if (joined.length > 256) return { malformed: true, reason: 'longer than 256 characters' };
  const s = trimOws(joined);
  const http = parseHttpDate(s, now);
  if (http) return { malformed: false, form: 'draft-http-date', deprecated: true, date: http.date.toISOString() };
  // RFC 9651 §4.2: parameters follow the bare item after ";".
  const bare = trimOws(s.split(';', 1)[0]!);
  if (bare === 'true' || bare === '?1') return { malformed: false, form: 'draft-boolean', deprecated: true };
  if (bare === 'false' || bare === '?0') return { malformed: false, form: 'draft-boolean', deprecated: false };
  // RFC 9745 §2.1: Deprecation is an Item Structured Header Field whose value is a Date.
  const m = SF_DATE.exec(bare);
  if (!m) {
    if (s.includes(',')) return { malformed: true, reason: 'more than one value (field repeated?); Deprecation is a single item' };
    return { malformed: true, reason: `not a structured-field Date (@seconds), an HTTP-date or a boolean: ${JSON.stringify(s.slice(0, 64))}` };
  }
  const seconds = Number(m[1]);
  if (Math.abs(seconds) > MAX_EPOCH_SECONDS) return { malformed: true, reason: `date ${m[1]} is outside the representable range` };
  return { malformed: false, form: 'rfc9745-date', deprecated: true, date: new Date(seconds * 1000).toISOString() };
}

/** `@<seconds>` for a `Deprecation` field (RFC 9745 §2.1); sub-second parts are dropped. */
export function formatDeprecation(d: Date): string {
  return `@${Math.floor(d.getTime() / 1000)}`;
}

export type SunsetHeader = { malformed: false; date: string; form: HttpDateForm } | { malformed: true; reason: string };

/**
 * Parse `Sunset` (RFC 8594 §3: `Sunset = HTTP-date`); undefined when absent.
 *
 * @example parseSunset('Sat, 31 Dec 2018 23:59:59 GMT') // { malformed: false, date: '2018-12-31T23:59:59.000Z', form: 'imf-fixdate' }
 */
export function parseSunset(value: FieldInput, now?: Date): SunsetHeader | undefined {
  const joined = joinFieldLines(value);
  if (joined === undefined) return undefined;
  if (joined.length > 256) return { malformed: true, reason: 'longer than 256 characters' };
  const d = parseHttpDate(joined, now);
  if (d) return { malformed: false, date: d.date.toISOString(), form: d.form };
  // RFC 8594 §3: a single HTTP-date; a repeated field shows up as a comma-joined pair.
  if (typeof value !== 'string') return { malformed: true, reason: 'field repeated; Sunset takes a single HTTP-date' };
  return { malformed: true, reason: `not an HTTP-date: ${JSON.stringify(joined.slice(0, 64))}` };
}

export interface LinkValue {
  /** The URI-Reference between `<` and `>`, as sent. */
  href: string;
  /** `href` resolved against the base given to {@link parseLink}, or `href` when there is none / it fails. */
  target: string;
  /** Relation types, lower-cased (RFC 8288 §2.1.1: registered types compare case-insensitively). */
  rels: string[];
  /** Other parameters, names lower-cased; only the first occurrence of each is kept. */
  params: Record<string, string | undefined>;
}

export interface LinkHeader {
  links: LinkValue[];
  /** One line per link-value that was skipped or partly understood. */
  errors: string[];
}

/**
 * Parse `Link` (RFC 8288 §3): several links, quoted parameters, space-separated `rel` lists.
 *
 * @example parseLink('<https://d.example/dep>; rel="deprecation"; type="text/html"').links[0]?.rels // ['deprecation']
 */
export function parseLink(value: FieldInput, base?: string): LinkHeader {
  const joined = joinFieldLines(value);
  if (joined === undefined) return { links: [], errors: [] };
  if (joined.length > MAX_FIELD_LENGTH * 4) return { links: [], errors: [`longer than ${MAX_FIELD_LENGTH * 4} characters`] };
  const list = splitList(joined, true);
  const links: LinkValue[] = [];
  const errors: string[] = list.error ? [list.error] : [];
  for (const item of list.items) {
    // RFC 8288 §3: link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param )
    const close = item.indexOf('>');
    if (item[0] !== '<' || close < 0) {
      errors.push(`not <URI-Reference>: ${JSON.stringify(item.slice(0, 64))}`);
      continue;
    }
    const href = item.slice(1, close).trim();
    const p = parseParams(item.slice(close + 1));
    if (p.error) errors.push(`link <${href.slice(0, 64)}>: ${p.error}`);
    const params: Record<string, string | undefined> = {};
    let rels: string[] = [];
    let sawRel = false;
    for (const [name, v] of p.params) {
      if (name === 'rel') {
        // RFC 8288 §3.3: rel MUST NOT appear more than once; later occurrences MUST be ignored.
        if (sawRel) continue;
        sawRel = true;
        // RFC 8288 §3.3: relation-type *( 1*SP relation-type )
        rels = (v ?? '').split(/[ \t]+/).filter((r) => r !== '').map((r) => r.toLowerCase());
        continue;
      }
      if (!Object.hasOwn(params, name)) Object.defineProperty(params, name, { value: v, enumerable: true, writable: true, configurable: true });
    }
    links.push({ href, target: resolve(href, base), rels, params });
  }
  return { links, errors };
}

function resolve(href: string, base: string | undefined): string {
  if (base === undefined) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

/** The relations h2doctor reports on, by link relation type (IANA Link Relations registry). */
export const ANNOUNCEMENT_RELS = {
  deprecation: 'deprecation', // RFC 9745 §3
  sunset: 'sunset', // RFC 8594 §6
  successorVersion: 'successor-version', // RFC 5829 §3.6
  alternate: 'alternate', // HTML / RFC 8288 registry
} as const;

export type AnnouncementLinks = { -readonly [K in keyof typeof ANNOUNCEMENT_RELS]: LinkValue[] };

/** Links grouped by the relations in {@link ANNOUNCEMENT_RELS}; a link with several rels lands in each. */
export function pickAnnouncementLinks(links: readonly LinkValue[]): AnnouncementLinks {
  const out = { deprecation: [], sunset: [], successorVersion: [], alternate: [] } as AnnouncementLinks;
  for (const key of Object.keys(ANNOUNCEMENT_RELS) as Array<keyof typeof ANNOUNCEMENT_RELS>) {
    out[key] = links.filter((l) => l.rels.includes(ANNOUNCEMENT_RELS[key]));
  }
  return out;
}

export interface DeprecationInfo {
  deprecation?: DeprecationHeader;
  sunset?: SunsetHeader;
  links: AnnouncementLinks;
  linkErrors: string[];
  /** Something announces an end of support: a deprecation, a sunset date, or a deprecation/sunset link. */
  announced: boolean;
}

/**
 * All three fields at once, for the `deprecation-announced` finding.
 *
 * @example readDeprecationInfo({ deprecation: '@1688169599', sunset: undefined, link: undefined }).announced // true
 */
export function readDeprecationInfo(fields: { deprecation?: FieldInput; sunset?: FieldInput; link?: FieldInput }, base?: string, now?: Date): DeprecationInfo {
  // `now` places RFC 850 two-digit years (RFC 9110 §5.6.7); rules pass the diagnosis time.
  const deprecation = parseDeprecation(fields.deprecation, now);
  const sunset = parseSunset(fields.sunset, now);
  const link = parseLink(fields.link, base);
  const links = pickAnnouncementLinks(link.links);
  const info: DeprecationInfo = {
    links,
    linkErrors: link.errors,
    announced:
      (deprecation !== undefined && !deprecation.malformed && deprecation.deprecated) ||
      (sunset !== undefined && !sunset.malformed) ||
      links.deprecation.length > 0 ||
      links.sunset.length > 0,
  };
  if (deprecation) info.deprecation = deprecation;
  if (sunset) info.sunset = sunset;
  return info;
}
