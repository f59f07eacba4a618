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

/**
 * Text without colour codes.
 * @example stripAnsi('\u001b[31merror\u001b[0m') // 'error'
 */
export function stripAnsi(s: string): string {
  return s.replace(ANSI_RE, '');
}

/**
 * Columns the text takes on a terminal (code points; colour codes count nothing).
 * @example displayWidth('✔ ok') // 4
 */
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

/**
 * Pad to `width` columns (colour codes do not count).
 * @example padEnd('ok', 4) // 'ok  '
 */
export function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/**
 * How `wrap` indents the first line and the lines after it.
 * @example wrap(text, 80, { indent: '  ', hanging: '    ' })
 */
export interface WrapOptions {
  /** Before the first line. */
  indent?: string;
  /** Before every following line (default: the first line's indent). */
  hanging?: string;
}

/**
 * A word longer than this is no word a reader reads whole (a 1 KiB header value, a token, base64):
 * it is cut into pieces that fit the line. Shorter ones (a fingerprint, a Java class name) stay whole.
 * @example LONG_WORD // 200
 */
export const LONG_WORD = 200;

/**
 * Word-wraps one paragraph (runs of spaces become one) to `width` columns. A token longer than
 * a whole line stays whole on its own line (URLs and commands must stay usable), unless it is over
 * {@link LONG_WORD} characters: then it is cut into pieces of the line's room.
 * @example wrap('one two three', 7) // ['one two', 'three']
 */
export function wrap(text: string, width: number, o: WrapOptions = {}): string[] {
  const first = o.indent ?? '';
  const next = o.hanging ?? first;
  // Each word with the spaces before it: spacing inside a line is kept (aligned columns), the
  // spaces at a break are dropped.
  const room = Math.max(1, width - Math.max(displayWidth(first), displayWidth(next)));
  const tokens: string[] = [];
  for (const tok of text.match(/ *[^ ]+/g) ?? []) {
    // A list too long for any line (a,b,c,…) may break after its commas: each item stays whole.
    const w = tok.trimStart();
    if (displayWidth(w) > room && /,./.test(w) && !(displayWidth(w) > LONG_WORD && w.split(',').some((x) => displayWidth(x) > room))) {
      const parts = tok.split(/(?<=,)(?=.)/);
      tokens.push(parts[0]!, ...parts.slice(1).map((x) => `\0${x}`));
    } else if (displayWidth(w) > Math.max(room, LONG_WORD)) {
      const pieces = Array.from({ length: Math.ceil(w.length / room) }, (_, i) => w.slice(i * room, (i + 1) * room));
      tokens.push(tok.slice(0, tok.length - w.length) + pieces[0]!, ...pieces.slice(1).map((x) => `\0${x}`));
    } else tokens.push(tok);
  }
  const lines: string[] = [];
  let line = first;
  let lineHasWord = false;
  for (const raw of tokens) {
    // \0 marks a piece of a list that joins the previous one with no space.
    const tok = raw.startsWith('\0') ? raw.slice(1) : raw;
    const word = tok.trimStart();
    const candidate = lineHasWord ? line + tok : line + (lines.length ? word : tok);
    if (!lineHasWord || displayWidth(candidate) <= width) {
      line = candidate;
      lineHasWord = true;
      continue;
    }
    lines.push(line);
    line = next + word;
  }
  if (lineHasWord || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Wraps text that has its own line breaks: each line is wrapped, keeping its leading spaces.
 * @example wrapBlock('one two three', 9, '  ') // ['  one two', '  three']
 */
export function wrapBlock(text: string, width: number, indent = ''): string[] {
  return text.split('\n').flatMap((l) => {
    const lead = /^ */.exec(l)![0];
    return l.trim() === '' ? [''] : wrap(l.slice(lead.length), width, { indent: indent + lead });
  });
}

/**
 * Parts joined by `sep`, broken between parts only (a part longer than a line is word-wrapped on its
 * own): a summary such as `TLSv1.3 …  ·  4 connections  ·  72 ms` never splits one part over two lines.
 * @example wrapParts(['ALPN h2', '4 connections', '72 ms'], 20, '  ·  ') // ['ALPN h2  ·', '4 connections  ·', '72 ms']
 */
export function wrapParts(parts: readonly string[], width: number, sep: string, o: WrapOptions = {}): string[] {
  const first = o.indent ?? '';
  const next = o.hanging ?? first;
  const glue = sep.trimEnd();
  const lines: string[] = [];
  let line = '';
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    const lead = lines.length ? next : first;
    const piece = last ? part : part + glue;
    const candidate = line ? line + sep.slice(glue.length) + piece : lead + piece;
    if (!line || displayWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    lines.push(line);
    line = next + piece;
  }
  if (line) lines.push(line);
  // A part too long for any line is word-wrapped at the same indent.
  return lines.flatMap((l, i) => (displayWidth(l) <= width ? [l] : wrap(l.trimStart(), width, { indent: i ? next : first, hanging: next })));
}

/**
 * A table sized from its data: each column as wide as its widest cell; the last column wraps to
 * what is left of `width` (the others are kept whole), continuation lines under the last column.
 * @example table([['code', 'severity'], ['alpn-no-h2', 'error']], 80)
 */
export function table(rows: readonly (readonly string[])[], width: number, o: { indent?: string; gap?: number } = {}): string[] {
  return tableRows(rows, width, o).flat();
}

/**
 * {@link table}, one group of lines per row (to put something under a row).
 * @example tableRows([['a', 'b']], 80) // [['a  b']]
 */
export function tableRows(rows: readonly (readonly string[])[], width: number, o: { indent?: string; gap?: number } = {}): string[][] {
  if (!rows.length) return [];
  const indent = o.indent ?? '';
  const gap = ' '.repeat(o.gap ?? 2);
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, i) => Math.max(0, ...rows.map((r) => (i < r.length - 1 ? displayWidth(r[i] ?? '') : 0))));
  return rows.map((r) => {
    const head = r.slice(0, -1).map((cell, i) => padEnd(cell, widths[i]!)).join(gap);
    const prefix = indent + (r.length > 1 ? head + gap : '');
    const last = r[r.length - 1] ?? '';
    // Too little room left for the last column (under 16 columns, or narrower than its longest word):
    // it goes under the row, indented.
    const room = width - displayWidth(prefix);
    const longest = Math.max(0, ...last.split(/\s+|(?<=,)/).map((w) => displayWidth(w)));
    if ((room < 16 || room < longest) && r.length > 1) return [prefix.trimEnd(), ...wrap(last, width, { indent: indent + '    ' })];
    return wrap(last, width, { indent: prefix, hanging: ' '.repeat(displayWidth(prefix)) });
  });
}

/**
 * A definition list (help's flags): terms in a column at most `maxTerm` wide, the text wrapped
 * beside them; a longer term gets a line of its own, its text under it at the same column.
 * @example definitions([['--json', 'machine output']], 80) // ['  --json  machine output']
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

/**
 * Splits a shell command into words, keeping quoted strings whole (a break inside quotes would
 * change the command).
 */
function shellWords(cmd: string): string[] {
  const words: string[] = [];
  let cur = '';
  let quote: string | null = null;
  for (const ch of cmd) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      cur += ch;
    } else if (ch === ' ') {
      if (cur) words.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) words.push(cur);
  return words;
}

/**
 * Fits finished lines to `width` columns: a longer line is wrapped at spaces, its continuation
 * indented under its own text; a shell command line (`$ …`) is continued with ` \` so it still
 * pastes, and is never broken inside quotes. No word is ever cut; a single word wider than the
 * line stays whole.
 * @example fitLines(['a long line …'], 40)
 */
export function fitLines(lines: readonly string[], width: number): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (displayWidth(line) <= width) {
      out.push(line);
      continue;
    }
    // Leading colour codes stay with the text; the spaces before it are the line's indent.
    const m = /^((?:\x1b\[[0-9;]*m)*)( *)/.exec(line)!;
    const lead = m[2]!;
    const body = m[1]! + line.slice(m[0].length);
    const cmd = /^(?:\x1b\[[0-9;]*m)*\$ /.test(body);
    if (cmd) {
      const words = shellWords(body);
      const hang = lead + '    ';
      let cur = lead;
      let has = false;
      for (const w of words) {
        const cand = has ? `${cur} ${w}` : cur + w;
        // Room for the " \" that continues the line.
        if (!has || displayWidth(cand) + 2 <= width) {
          cur = cand;
          has = true;
        } else {
          out.push(`${cur} \\`);
          cur = hang + w;
        }
      }
      out.push(cur);
      continue;
    }
    // A bullet, dash or bracketed label keeps its text aligned after the marker.
    const marker = /^(?:(?:\x1b\[[0-9;]*m)*(?:[•–-]|\d+\.|\[[^\]]{1,40}\]) )/.exec(body)?.[0];
    const hang = lead + (marker && displayWidth(marker) <= 12 ? ' '.repeat(displayWidth(marker)) : '  ');
    out.push(...wrap(body, width, { indent: lead, hanging: hang }));
  }
  return out;
}
