/**
 * A progress line on stderr while a command waits on the network, for a person at a terminal only
 * (stderr a TTY): one line, redrawn in place, erased when the command is done, so nothing of it is
 * left in the output. Silent for pipes, files and tests.
 *
 * @example
 * const stop = startProgress(io, () => `diagnosing https://example.com/ … ${s} s`);
 * try { await work(); } finally { stop(); }
 */
import type { CliIO } from './io.js';

/** Wait before the first line: a fast run shows none. */
const FIRST_MS = 300;
const EVERY_MS = 250;
const SPIN = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function startProgress(io: CliIO, line: (elapsedS: string) => string, width = 80): () => void {
  if (!io.stderrIsTTY) return () => {};
  const t0 = performance.now();
  let shown = false;
  let i = 0;
  const draw = () => {
    const text = `${SPIN[i++ % SPIN.length]} ${line(((performance.now() - t0) / 1000).toFixed(1))}`;
    io.stderr(`\r\x1b[K${text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text}`);
    shown = true;
  };
  let timer: NodeJS.Timeout | undefined = setTimeout(function tick() {
    draw();
    timer = setTimeout(tick, EVERY_MS);
    timer.unref();
  }, FIRST_MS);
  timer.unref();
  return () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (shown) io.stderr('\r\x1b[K');
    shown = false;
  };
}
