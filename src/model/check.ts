/**
 * What `h2doctor check` produces, as plain data: each check's result (its failed expectations, or
 * why it could not run), and a problem in a checks file. The renderers in report/ (table, JUnit,
 * GitHub annotations and step summary, SARIF, HTML) format these; `docs/check.schema.json`
 * describes them in `check --json`.
 */

/** A problem in a checks file, pointing at the offending node. Line and column are 1-based. */
export interface ChecksFileError {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface CheckFailure {
  /** Which expectation, as a path in `expect`: 'protocol', 'status.h2', 'http1.upgradeIncludes'… */
  expectation: string;
  expected: string;
  actual: string;
  /** One line for humans. */
  message: string;
}

export interface CheckResult {
  name: string;
  env: string;
  url: string;
  passed: boolean;
  failures: CheckFailure[];
  durationMs: number;
  /** The check could not be run (runner failure); such a check is not passed. */
  error?: string;
  /** 1-based line of the check in the checks file, when known (for annotations). */
  line?: number;
}
