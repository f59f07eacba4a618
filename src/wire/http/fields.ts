/**
 * Shared lexical pieces of HTTP field values (RFC 9110 §5.5–§5.6): tokens, OWS, lists, quoted strings,
 * parameters and HTTP-dates. Field values are strings, not bytes, and come from untrusted peers:
 * every function here is bounded and returns a result instead of throwing.
 *
 * @example
 * splitList('a, "b,c", d') // { items: ['a', '"b,c"', 'd'] }
 */

/** Longest combined field value we look at; a longer one is reported, not parsed. */
export const MAX_FIELD_LENGTH = 16 * 1024;
/** Most list elements we keep from one field. */
export const MAX_LIST_ITEMS = 256;

/** A field as Node gives it (`IncomingHttpHeaders`): absent, one line, or several lines. */
export type FieldInput = string | readonly string[] | undefined | null;

// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Is `s` a non-empty RFC 9110 token? */
export function isToken(s: string): boolean {
  return s.length > 0 && TCHAR.test(s);
}

// RFC 9110 §5.6.3: OWS = *( SP / HTAB )
export function trimOws(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, '');
}

/**
 * RFC 9110 §5.3: several field lines with the same name combine into one value joined by ", ".
 * Returns undefined when the field is absent.
 */
export function joinFieldLines(v: FieldInput): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (v.length === 0) return undefined;
  return v.join(', ');
}

export interface SplitList {
  items: string[];
  /** Set when a quoted string or `<…>` was left open, or the list was cut at {@link MAX_LIST_ITEMS}. */
  error?: string;
}

/**
 * Split a `#element` list on commas that are outside quoted strings (and, with `angle`, outside `<…>`,
 * as Link needs). Empty elements are dropped: RFC 9110 §5.6.1 asks recipients to accept `a, , b`.
 */
export function splitList(value: string, angle = false): SplitList {
  const items: string[] = [];
  let cur = '';
  let inQuote = false;
  let inAngle = false;
  let error: string | undefined;
  const flush = (): boolean => {
    const t = trimOws(cur);
    cur = '';
    if (t === '') return true;
    if (items.length >= MAX_LIST_ITEMS) {
      error = `more than ${MAX_LIST_ITEMS} list elements`;
      return false;
    }
    items.push(t);
    return true;
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (inQuote) {
      cur += c;
      // RFC 9110 §5.6.4: quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
      if (c === '\\' && i + 1 < value.length) cur += value[++i]!;
      else if (c === '"') inQuote = false;
      continue;
    }
    if (inAngle) {
      cur += c;
      if (c === '>') inAngle = false;
      continue;
    }
    if (c === '"') inQuote = true;
    else if (angle && c === '<') inAngle = true;
    else if (c === ',') {
      if (!flush()) return { items, error: error! };
      continue;
    }
    cur += c;
  }
  if (inQuote) error = 'unterminated quoted string';
  else if (inAngle) error = 'unterminated <URI-reference>';
  if (!flush()) return { items, error: error! };
  return error === undefined ? { items } : { items, error };
}

/**
 * Read a quoted-string starting at `s[at] === '"'` (RFC 9110 §5.6.4). Returns the unescaped value and
 * the index after the closing quote, or undefined if it is not a well-formed quoted string.
 */
export function readQuoted(s: string, at: number): { value: string; end: number } | undefined {
  if (s[at] !== '"') return undefined;
  let out = '';
  for (let i = at + 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      if (i + 1 >= s.length) return undefined;
      out += s[++i]!;
    } else if (c === '"') {
      return { value: out, end: i + 1 };
    } else {
      out += c;
    }
  }
  return undefined;
}

export interface Params {
  /** In order of appearance; names lower-cased; `undefined` for a bare `;name`. */
  params: Array<[name: string, value: string | undefined]>;
  error?: string;
}

/**
 * Parse `*( OWS ";" OWS name [ BWS "=" BWS ( token / quoted-string ) ] )` (RFC 9110 §5.6.6, with the BWS
 * RFC 8288 §3 allows). `s` starts at the first ";" (leading white space allowed). Stops at the first error.
 */
export function parseParams(s: string): Params {
  const params: Params['params'] = [];
  let i = 0;
  const ws = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  for (;;) {
    ws();
    if (i >= s.length) return { params };
    if (s[i] !== ';') return { params, error: `expected ";" at ${i}` };
    i++;
    ws();
    if (i >= s.length) return { params }; // a trailing ";" is harmless
    const nameStart = i;
    while (i < s.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(s[i]!)) i++;
    const name = s.slice(nameStart, i).toLowerCase();
    if (name === '') return { params, error: `expected a parameter name at ${i}` };
    ws();
    if (s[i] !== '=') {
      params.push([name, undefined]);
      continue;
    }
    i++;
    ws();
    if (s[i] === '"') {
      const q = readQuoted(s, i);
      if (!q) return { params, error: `unterminated quoted string in parameter ${name}` };
      params.push([name, q.value]);
      i = q.end;
    } else {
      const vStart = i;
      while (i < s.length && /[!#$%&'*+\-.^_`|~0-9A-Za-z/:]/.test(s[i]!)) i++;
      const v = s.slice(vStart, i);
      if (v === '') return { params, error: `empty value for parameter ${name}` };
      params.push([name, v]);
    }
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

export type HttpDateForm = 'imf-fixdate' | 'rfc850' | 'asctime';

/**
 * Parse an HTTP-date (RFC 9110 §5.6.7): the preferred IMF-fixdate and, as recipients MUST accept them,
 * the obsolete rfc850-date and asctime-date forms. Unlike `Date.parse` this accepts nothing else.
 *
 * @example parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')?.date.toISOString() // '1994-11-06T08:49:37.000Z'
 */
export function parseHttpDate(raw: string, now: Date = new Date()): { date: Date; form: HttpDateForm } | undefined {
  const s = trimOws(raw);
  if (s.length > 64) return undefined;
  let m = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(s);
  if (m) return build(+m[4]!, m[3]!, +m[2]!, +m[5]!, +m[6]!, +m[7]!, 'imf-fixdate');
  m = /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Za-z]{3})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(s);
  if (m) {
    // RFC 9110 §5.6.7: a two-digit year that appears to be more than 50 years in the future is in the past century.
    let year = 2000 + +m[4]!;
    if (year > now.getUTCFullYear() + 50) year -= 100;
    return build(year, m[3]!, +m[2]!, +m[5]!, +m[6]!, +m[7]!, 'rfc850');
  }
  m = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Za-z]{3}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(s);
  if (m) return build(+m[7]!, m[2]!, +m[3]!.trim(), +m[4]!, +m[5]!, +m[6]!, 'asctime');
  return undefined;
}

function build(y: number, mon: string, d: number, h: number, mi: number, sec: number, form: HttpDateForm) {
  // RFC 9110 §5.6.7: month names are case-sensitive in the grammar; we accept any case (robustness).
  const month = MONTHS.indexOf(mon.toLowerCase() as (typeof MONTHS)[number]);
  // 60 is allowed for a leap second (RFC 9110 §5.6.7 time-of-day).
  if (month < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return undefined;
  const ms = Date.UTC(y, month, d, h, mi, Math.min(sec, 59));
  const date = new Date(ms);
  if (Number.isNaN(ms) || date.getUTCDate() !== d) return undefined; // e.g. 31 Feb
  return { date, form };
}

/** An IMF-fixdate (RFC 9110 §5.6.7), e.g. for `Sunset`. */
export function formatHttpDate(d: Date): string {
  // Date#toUTCString produces exactly the IMF-fixdate layout for years 0–9999.
  return d.toUTCString();
}
