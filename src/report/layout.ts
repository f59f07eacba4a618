/**
 * Text layout for the terminal: wrap at word boundaries to a width, never inside a token, and
 * measure text as the terminal shows it (ANSI colour codes take no room).
 *
 * @example
 *   wrap('the server answered HTTP/1.1 400 Bad Request', 20, { indent: '  ' })
 *   // ['  the server', '  answered HTTP/1.1', '  400 Bad Request']
 */

// eslint-disable-next-line no-control-regex
const ANSI_RE = /\x1b\[[0-9;]*m/g;

/** Text without colour codes. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI_RE, '');
}

/** Columns the text takes on a terminal (code points; colour codes count nothing). */
export function displayWidth(s: string): number {
  let n = 0;
  for (const ch of stripAnsi(s)) {
    const cp = ch.codePointAt(0)!;
    // Combining marks and zero-width characters take no column.
    if ((cp >= 0x300 && cp <= 0x36f) || cp === 0x200b || cp === 0xfe0f) continue;
    n += 1;
  }
  return n;
}

/** Pad to `width` columns (colour codes do not count). */
export function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

export interface WrapOptions {
  /** Before the first line. */
  indent?: string;
  /** Before every following line (default: the first line's indent). */
  hanging?: string;
}

/**
 * Word-wraps one paragraph (runs of spaces become one) to `width` columns. A token longer than
 * a whole line stays whole on its own line: it is never cut (URLs and commands must stay usable).
 */
export function wrap(text: string, width: number, o: WrapOptions = {}): string[] {
  const first = o.indent ?? '';
  const next = o.hanging ?? first;
  const words = text.split(/ +/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = first;
  let lineHasWord = false;
  for (const w of words) {
    const candidate = lineHasWord ? `${line} ${w}` : line + w;
    if (!lineHasWord || displayWidth(candidate) <= width) {
      line = candidate;
      lineHasWord = true;
      continue;
    }
    lines.push(line);
    line = next + w;
  }
  if (lineHasWord || lines.length === 0) lines.push(line);
  return lines;
}

/** Wraps text that has its own line breaks: each line is wrapped, keeping its leading spaces. */
export function wrapBlock(text: string, width: number, indent = ''): string[] {
  return text.split('\n').flatMap((l) => {
    const lead = /^ */.exec(l)![0];
    return l.trim() === '' ? [''] : wrap(l.slice(lead.length), width, { indent: indent + lead });
  });
}

/**
 * A table sized from its data: each column as wide as its widest cell; the last column wraps to
 * what is left of `width` (the others are kept whole), continuation lines under the last column.
 */
export function table(rows: readonly (readonly string[])[], width: number, o: { indent?: string; gap?: number } = {}): string[] {
  if (!rows.length) return [];
  const indent = o.indent ?? '';
  const gap = ' '.repeat(o.gap ?? 2);
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(0, ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const out: string[] = [];
  for (const r of rows) {
    const head = r.slice(0, -1).map((cell, i) => padEnd(cell, widths[i]!)).join(gap);
    const prefix = indent + (r.length > 1 ? head + gap : '');
    const last = r[r.length - 1] ?? '';
    // Too little room left for the last column: it goes under the row, indented.
    const room = width - displayWidth(prefix);
    if (room < 16 && r.length > 1) {
      out.push(prefix.trimEnd());
      out.push(...wrap(last, width, { indent: indent + '    ' }));
      continue;
    }
    out.push(...wrap(last, width, { indent: prefix, hanging: ' '.repeat(displayWidth(prefix)) }));
  }
  return out;
}

/**
 * A definition list (help's flags): terms in a column at most `maxTerm` wide, the text wrapped
 * beside them; a longer term gets a line of its own, its text under it at the same column.
 */
export function definitions(rows: readonly (readonly [string, string])[], width: number, o: { indent?: string; maxTerm?: number; termWidth?: number } = {}): string[] {
  const indent = o.indent ?? '  ';
  const termW = o.termWidth ?? Math.min(o.maxTerm ?? 28, Math.max(0, ...rows.map(([t]) => displayWidth(t))));
  const col = indent.length + termW + 2;
  // On a narrow terminal the text starts under the term rather than in a sliver beside it.
  const hang = width - col >= 24 ? ' '.repeat(col) : indent + '    ';
  const out: string[] = [];
  for (const [term, text] of rows) {
    if (displayWidth(term) > termW || hang.length !== col) {
      out.push(indent + term);
      out.push(...wrap(text, width, { indent: hang }));
    } else out.push(...wrap(text, width, { indent: padEnd(indent + term, col), hanging: hang }));
  }
  return out;
}
