/**
 * Reading a long paste line by line with bounded memory (issue 12): the whole input is read, every
 * line is looked at, and what explain then reads is a bounded window of it. While the input fits in
 * {@link MAX_TEXT}, the window is all of it. Past that, it keeps the lines that can carry evidence
 * (an error word, a status, an alert, a code, a hex dump: {@link mayCarryEvidence}) up to
 * {@link WINDOW_EVIDENCE_LINES} of them (the newest when there are more), and the last
 * {@link WINDOW_TAIL_LINES} lines whatever they say; the others are counted as skipped. Each kept
 * line keeps its line number in the input, so what explain quotes points at the right line.
 *
 * @example
 * const w = new LineWindow();
 * for (const line of hugeLog.split('\n')) w.push(line);
 * const { text, lineNumbers, scanned } = w.finish(); // explain(text, { lineNumbers, scanned })
 */
import { MAX_LINE, MAX_TEXT } from './decoders.js';

/** Most evidence-carrying lines a window keeps past {@link MAX_TEXT} (the newest win). */
export const WINDOW_EVIDENCE_LINES = 20_000;
/** The last lines of the input a window always keeps (the end of a log is where errors land). */
export const WINDOW_TAIL_LINES = 200;

/**
 * A quick test, linear in the line, for words and shapes the signals and decoders read: error
 * words, HTTP statuses, TLS/TCP words, errno and exception names, hex dumps. Lines without any of
 * them carry nothing explain could use. The words are grouped by their first letter (the same
 * alternatives as a flat list, so the same lines match: window.test.ts checks it against the flat
 * list): a flat list of 50 words under /i tried each word at each position, and was half of the
 * CPU of reading 64 MiB of plain log lines.
 */
const EVIDENCE =
  /e(?:rror|rrno|conn|timedout|of\b|xception)|f(?:ail|rame|orbidden)|r(?:efus|eset|st_stream|esolve)|t(?:imed? ?out|imeout|ls|unnel|raceback)|d(?:eadline|enied)|a(?:lert|lpn)|c(?:ertif|losed|onnect|aused by)|x509|p(?:kix|reface|roxy|rotocol)|verify|s(?:sl|ettings|tream)|h(?:andshake|ttp|2c?\b|ang up)|goaway|broken pipe|u(?:nreachable|pgrade|navailable|nexpected)|n(?:o such host|ot known|et::)|websocket|invalid|malformed|\b[1-5]\d\d\b|\b[0-9a-f]{10,}\b|\bE[A-Z]{4,}\b/i;

export function mayCarryEvidence(line: string): boolean {
  return EVIDENCE.test(line);
}

export interface WindowScan {
  /** Lines in the input. */
  lines: number;
  /** Lines not handed to explain (none when the input fits in MAX_TEXT). */
  skippedLines: number;
  /** Lines cut at MAX_LINE characters. */
  clippedLines: number;
  /** Characters read (newlines included). */
  characters: number;
  /** True when the input was larger than MAX_TEXT and only the window was explained. */
  windowed: boolean;
}

export class LineWindow {
  /** Evidence lines (then, before narrowing, every line) from `keptHead` on; a queue whose front is dropped in O(1). */
  private kept: Array<{ n: number; line: string } | undefined> = [];
  private keptHead = 0;
  private keptChars = 0;
  private tail: Array<{ n: number; line: string }> = [];
  private windowed = false;
  private n = 0;
  private clipped = 0;
  private characters = 0;

  /** One line of the input (without its newline); `fullLength` when the caller already clipped it. */
  push(line: string, fullLength = line.length): void {
    const n = ++this.n;
    this.characters += fullLength + 1;
    let l = line;
    if (fullLength > MAX_LINE || l.length > MAX_LINE) {
      this.clipped++;
      l = l.slice(0, MAX_LINE);
    }
    if (!this.windowed) {
      this.kept.push({ n, line: l });
      this.keptChars += l.length + 1;
      if (this.keptChars > MAX_TEXT) this.narrow();
      return;
    }
    this.tail.push({ n, line: l });
    if (this.tail.length > WINDOW_TAIL_LINES) {
      const out = this.tail.shift()!;
      if (mayCarryEvidence(out.line)) this.keepEvidence(out);
    }
  }

  /** Past MAX_TEXT: from here on only evidence lines and the tail are kept. */
  private narrow(): void {
    this.windowed = true;
    const all = this.kept as Array<{ n: number; line: string }>;
    this.kept = [];
    this.keptHead = 0;
    this.keptChars = 0;
    for (const x of all.slice(0, Math.max(0, all.length - WINDOW_TAIL_LINES))) if (mayCarryEvidence(x.line)) this.keepEvidence(x);
    this.tail = all.slice(Math.max(0, all.length - WINDOW_TAIL_LINES));
  }

  private keepEvidence(x: { n: number; line: string }): void {
    this.kept.push(x);
    this.keptChars += x.line.length + 1;
    // Bounded both ways: the newest evidence lines win. Array.shift() on 20,000 entries copies
    // them all (a large array is not trimmed in place), once per line of a long log of errors:
    // 600 MB of error lines took 16 s to reach the 64 MiB cap. The front moves instead, and the
    // array is compacted once half of it is dropped (amortised O(1) per line).
    while (this.kept.length - this.keptHead > WINDOW_EVIDENCE_LINES || this.keptChars > MAX_TEXT / 2) {
      const old = this.kept[this.keptHead]!;
      this.kept[this.keptHead++] = undefined;
      this.keptChars -= old.line.length + 1;
    }
    if (this.keptHead > 1024 && this.keptHead * 2 > this.kept.length) {
      this.kept = this.kept.slice(this.keptHead);
      this.keptHead = 0;
    }
  }

  finish(): { text: string; lineNumbers: number[]; scanned: WindowScan } {
    const lines = [...(this.kept.slice(this.keptHead) as Array<{ n: number; line: string }>), ...this.tail];
    return {
      text: lines.map((x) => x.line).join('\n'),
      lineNumbers: lines.map((x) => x.n),
      scanned: { lines: this.n, skippedLines: this.n - lines.length, clippedLines: this.clipped, characters: this.characters, windowed: this.windowed },
    };
  }
}
