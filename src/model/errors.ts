/**
 * The errors h2doctor's library functions throw: one base class, `H2DoctorError`, with a stable
 * `code` per failure, so callers can branch without matching messages. Bad bytes from a server are
 * never thrown: they become evidence.
 *
 * @example
 * try { parseTarget('ftp://x') } catch (e) { if (e instanceof H2DoctorError) console.log(e.code) } // 'target-invalid'
 */

/** Every failure code an H2DoctorError may carry. */
export type ErrorCode =
  /** Bad usage or bad input (an option, a file, a value): the CLI exits 2. */
  | 'usage'
  /** The target URL cannot be used (scheme, host, port). */
  | 'target-invalid'
  /** A curl-style `--resolve host:port:addr` pin cannot be used. */
  | 'resolve-invalid';

/** The base class of every error h2doctor throws on purpose. */
export class H2DoctorError extends Error {
  override readonly name: string = 'H2DoctorError';
  constructor(
    message: string,
    /** Stable, for programs: see ErrorCode. */
    readonly code: ErrorCode,
  ) {
    super(message);
  }
}

/** Bad usage or bad input from the user: one clear line (the CLI prints it and exits 2). */
export class UsageError extends H2DoctorError {
  override readonly name: string = 'UsageError';
  constructor(message: string, code: ErrorCode = 'usage') {
    super(message, code);
  }
}

/** A target URL or a `--resolve` pin that cannot be used; a UsageError (exit 2). */
export class TargetError extends UsageError {
  override readonly name: string = 'TargetError';
  constructor(message: string, code: 'target-invalid' | 'resolve-invalid' = 'target-invalid') {
    super(message, code);
  }
}
