/**
 * Lines of a byte stream (standard input) with bounded memory whatever its size: at most `maxLine`
 * characters of the current line are held, and past `maxBytes` the input is refused at once (the
 * `refuse` error), even inside one endless line. With a finite `maxBytes` the bytes are read first (at
 * most `maxBytes` of them) and split into lines only once the input has ended within the cap: an input
 * over the cap is refused without the per-line work on everything before it (issue 12: a 600 MB log
 * gets exit 2 in the time it takes to read 64 MiB from the pipe, not the time to scan them).
 *
 * @example
 * await readLines(process.stdin, (line, full) => seen.push(line), { maxLine: 4096, maxBytes: 64 << 20, refuse: (m) => new UsageError(m) });
 */
export async function readLines(
  source: AsyncIterable<Buffer>,
  onLine: (line: string, fullLength: number) => void,
  o: { maxLine: number; maxBytes: number; refuse: (message: string) => Error; stop?: () => void },
): Promise<void> {
  const lines = lineSplitter(onLine, o.maxLine);
  const held: Buffer[] = [];
  let total = 0;
  for await (const c of source) {
    total += c.length;
    if (total > o.maxBytes) {
      o.stop?.();
      throw o.refuse(`standard input is over ${o.maxBytes / (1024 * 1024)} MiB; refused (pass the lines around the error, e.g. grep -B20 -A20 -i error app.log | h2doctor explain)`);
    }
    if (Number.isFinite(o.maxBytes)) held.push(c);
    else lines.push(c);
  }
  // Each chunk let go once it is split, so the held bytes shrink as the lines are read.
  for (let c = held.shift(); c; c = held.shift()) lines.push(c);
  lines.end();
}

/**
 * Splits bytes into lines for `onLine`: each line cut at `maxLine` characters and given with its full
 * length; a CR before the LF dropped; UTF-8 decoded across chunk boundaries.
 * @example const s = lineSplitter((l) => out.push(l), 80); s.push(Buffer.from('a\r\nb')); s.end(); // out: ['a', 'b']
 */
export function lineSplitter(onLine: (line: string, fullLength: number) => void, maxLine: number): { push(c: Buffer): void; end(): void } {
  let cur = '';
  let len = 0;
  const utf8 = new TextDecoder('utf-8');
  const add = (s: string, from: number, to: number) => {
    if (cur.length < maxLine) cur += s.slice(from, Math.min(to, from + maxLine - cur.length));
    len += to - from;
  };
  const emit = () => {
    onLine(cur.endsWith('\r') ? cur.slice(0, -1) : cur, len);
    cur = '';
    len = 0;
  };
  return {
    push(c) {
      const s = utf8.decode(c, { stream: true });
      let from = 0;
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', from)) {
        add(s, from, i);
        emit();
        from = i + 1;
      }
      add(s, from, s.length);
    },
    end() {
      const tail = utf8.decode();
      add(tail, 0, tail.length);
      if (len > 0 || cur) emit();
    },
  };
}
