/**
 * What a command may touch of the outside world. Only `main.ts` binds it to the real process;
 * commands return an exit code and never call `process.exit` themselves.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads all of standard input (used when no argument carries the text). */
  readStdin(): Promise<string>;
  /**
   * Reads standard input to its end line by line, whatever its size, each line cut at `maxLine`
   * characters (its full length passed along): explain's long pastes. Without it, explain reads
   * {@link CliIO.readStdin}.
   */
  readStdinLines?(onLine: (line: string, fullLength: number) => void, maxLine: number, maxBytes?: number): Promise<void>;
  /** True when stdin is a terminal (then there is nothing to read). */
  stdinIsTTY: boolean;
  /** True when stdout is a terminal (watch redraws its live table in place). */
  stdoutIsTTY?: boolean;
  /** Colour for --color=auto: FORCE_COLOR set, or stdout a terminal with NO_COLOR unset and TERM not dumb. */
  color: boolean;
  /** The terminal's width in columns, when stdout is a terminal (else COLUMNS, else 80). */
  columns?: number;
  env: Record<string, string | undefined>;
  cwd: string;
  /** True when stderr is a terminal (progress bars). */
  stderrIsTTY?: boolean;
  /**
   * performance.now() when the command started; --max-time counts from it. The CLI sets 0 (the
   * process's start, so loading and output fit in the time too); a caller running several commands
   * in one process (tests, embedding) leaves it out, and each command counts from its own start.
   */
  startedAt?: number;
}

/** Exit codes (DEVELOPERS contract). */
export const EXIT = { ok: 0, fail: 1, usage: 2, internal: 3 } as const;

/** Most bytes read from standard input (explain's text, `check -`): more is refused with exit 2. */
export const STDIN_MAX_BYTES = 4 * 1024 * 1024;
/** Most bytes explain reads from standard input, line by line: more is refused with exit 2 once read this far. */
export const EXPLAIN_STDIN_MAX_BYTES = 64 * 1024 * 1024;
/** Largest checks file `check` reads. */
export const CHECKS_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** Bad usage or bad input from the user: one clear line, exit 2 (the model's error class). */
