/**
 * The target list of a fleet scan: plain lines (a URL or `host[:port]`, `#` comments), CSV with a
 * header row, a JSON array or NDJSON objects, each target with its own options (sni, resolve,
 * client profile). Every target is checked before any connection: a bad line is one clear error
 * naming the line (the CLI exits 2).
 *
 * @example
 *   parseTargetList('https://a.example\n# staging\nb.example:8443\n').map((t) => t.url)
 *   // ['https://a.example/', 'https://b.example:8443/']
 */
import { parseResolve, parseTarget } from '../model/target.js';
import { UsageError } from '../model/errors.js';

/** One target of a scan, with the options that apply to it alone. */
export interface ScanTarget {
  /** Stable identity across runs (resume, queue job ids, vantage comparison). */
  key: string;
  /** The normalised URL. */
  url: string;
  /** Where it came from: `file:line`. */
  source: string;
  sni?: string;
  resolve?: string[];
  client?: string;
}

/** Most targets one list may hold (a larger fleet is split into several lists). */
export const MAX_TARGETS = 2_000_000;

type Raw = { url?: unknown; target?: unknown; sni?: unknown; resolve?: unknown; client?: unknown; id?: unknown };

/**
 * Parses a target list. `name` is used in error messages (`targets.csv:12: …`).
 * The format is told by the content: `[` starts a JSON array, `{` NDJSON, a first row naming a
 * `url` (or `target`) column CSV, anything else plain lines.
 */
export function parseTargetList(text: string, name = 'targets'): ScanTarget[] {
  const body = text.replace(/^\uFEFF/, '');
  const first = body.trimStart()[0];
  let raws: Array<{ raw: Raw; line: number }>;
  if (first === '[') raws = fromJsonArray(body, name);
  else if (first === '{') raws = fromNdjson(body, name);
  else if (isCsvHeader(firstDataLine(body))) raws = fromCsv(body, name);
  else raws = fromLines(body);
  if (raws.length > MAX_TARGETS) throw new UsageError(`${name}: ${raws.length} targets; at most ${MAX_TARGETS} per list`);
  const seen = new Map<string, string>();
  const out: ScanTarget[] = [];
  for (const { raw, line } of raws) {
    const t = toTarget(raw, `${name}:${line}`);
    const dup = seen.get(t.key);
    if (dup) continue; // the same target twice is scanned once
    seen.set(t.key, t.source);
    out.push(t);
  }
  if (out.length === 0) throw new UsageError(`${name}: no targets (one URL or host[:port] per line)`);
  return out;
}

function firstDataLine(text: string): string {
  for (const l of text.split(/\r?\n/)) {
    const s = l.trim();
    if (s && !s.startsWith('#')) return s;
  }
  return '';
}

function isCsvHeader(line: string): boolean {
  const cols = splitCsvRow(line).map((c) => c.trim().toLowerCase());
  return cols.length > 1 && (cols.includes('url') || cols.includes('target'));
}

function fromLines(text: string): Array<{ raw: Raw; line: number }> {
  const out: Array<{ raw: Raw; line: number }> = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const s = l.replace(/\s#.*$/, '').trim();
    if (!s || s.startsWith('#')) return;
    out.push({ raw: { url: s }, line: i + 1 });
  });
  return out;
}

function fromJsonArray(text: string, name: string): Array<{ raw: Raw; line: number }> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${name}: not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(data)) throw new UsageError(`${name}: a JSON target list is an array`);
  return data.map((d, i) => ({ raw: asRaw(d, `${name}: item ${i + 1}`), line: i + 1 }));
}

function fromNdjson(text: string, name: string): Array<{ raw: Raw; line: number }> {
  const out: Array<{ raw: Raw; line: number }> = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const s = l.trim();
    if (!s || s.startsWith('#')) return;
    let d: unknown;
    try {
      d = JSON.parse(s);
    } catch (e) {
      throw new UsageError(`${name}:${i + 1}: not valid JSON: ${(e as Error).message}`);
    }
    out.push({ raw: asRaw(d, `${name}:${i + 1}`), line: i + 1 });
  });
  return out;
}

function asRaw(d: unknown, where: string): Raw {
  if (typeof d === 'string') return { url: d };
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw new UsageError(`${where}: a target is a URL string or an object with "url"`);
  return d as Raw;
}

const CSV_COLUMNS = ['url', 'target', 'sni', 'resolve', 'client', 'id'] as const;

function fromCsv(text: string, name: string): Array<{ raw: Raw; line: number }> {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  const out: Array<{ raw: Raw; line: number }> = [];
  lines.forEach((l, i) => {
    const s = l.trim();
    if (!s || s.startsWith('#')) return;
    const cells = splitCsvRow(l);
    if (!header) {
      header = cells.map((c) => c.trim().toLowerCase());
      const unknown = header.filter((h) => h && !(CSV_COLUMNS as readonly string[]).includes(h));
      if (unknown.length) throw new UsageError(`${name}:${i + 1}: unknown column ${JSON.stringify(unknown[0])} (columns: ${CSV_COLUMNS.join(', ')})`);
      return;
    }
    const raw: Record<string, string> = {};
    header.forEach((h, j) => {
      const v = cells[j]?.trim();
      if (h && v) raw[h] = v;
    });
    out.push({ raw: { ...raw, ...(raw.resolve ? { resolve: raw.resolve.split(/[\s;]+/).filter(Boolean) } : {}) }, line: i + 1 });
  });
  return out;
}

/** One CSV row (RFC 4180 quoting; a row never spans lines here). */
export function splitCsvRow(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"' && cur === '') quoted = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}

function str(v: unknown, field: string, where: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new UsageError(`${where}: "${field}" is a string`);
  return v;
}

function toTarget(raw: Raw, where: string): ScanTarget {
  const url = str(raw.url, 'url', where) ?? str(raw.target, 'target', where);
  if (!url) throw new UsageError(`${where}: no URL`);
  const sni = raw.sni === '' ? '' : str(raw.sni, 'sni', where);
  let resolve: string[] | undefined;
  if (raw.resolve !== undefined) {
    const list = Array.isArray(raw.resolve) ? raw.resolve : [raw.resolve];
    resolve = list.map((r) => {
      const s = str(r, 'resolve', where);
      if (!s) throw new UsageError(`${where}: empty "resolve"`);
      return s;
    });
  }
  const client = str(raw.client, 'client', where);
  const id = str(raw.id, 'id', where);
  const prefix = (e: unknown) => new UsageError(`${where}: ${(e as Error).message}`);
  let t;
  try {
    t = parseTarget(url, sni);
    for (const r of resolve ?? []) parseResolve(r);
  } catch (e) {
    throw prefix(e);
  }
  const key = id ?? [t.url, sni === undefined ? '' : `sni=${sni}`, resolve?.length ? `resolve=${resolve.join(',')}` : '', client ? `client=${client}` : ''].filter(Boolean).join(' ');
  return { key, url: t.url, source: where, ...(sni !== undefined ? { sni } : {}), ...(resolve ? { resolve } : {}), ...(client ? { client } : {}) };
}
