/**
 * GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`): when
 * `GITHUB_ACTIONS=true`, failed checks and checks-file errors show up as annotations on the file.
 * Escaping follows the runner's documented rules: in the message `%`, CR and LF; in property
 * values also `:` and `,`.
 *
 * @example
 *   formatAnnotation({ level: 'error', file: 'checks.yaml', line: 12, title: 'health', message: 'expected h2' });
 *   // '::error file=checks.yaml,line=12,title=health::expected h2'
 */
import type { CheckResult, ChecksFileError } from '../model/index.js';

/**
 * A GitHub Actions annotation's level (workflow command name).
 * @example formatAnnotation({ level: 'warning', message: 'TLS 1.2 only' }) // '::warning::TLS 1.2 only'
 */
export type AnnotationLevel = 'error' | 'warning' | 'notice';

/**
 * One GitHub Actions annotation: level, message, where (file, lines, columns), title.
 * @example formatAnnotation({ level: 'error', file: 'checks.yml', line: 3, message: 'bad' }) // '::error file=checks.yml,line=3::bad'
 */
export interface Annotation {
  level: AnnotationLevel;
  message: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
  endColumn?: number;
  title?: string;
}

/**
 * True when running inside GitHub Actions.
 * @example isGitHubActions(process.env) // true inside a workflow
 */
export function isGitHubActions(env: Record<string, string | undefined>): boolean {
  return env.GITHUB_ACTIONS === 'true';
}

/**
 * Escapes a command's message. `%` goes first so the other escapes are not escaped again.
 * @example escapeData('50%\nok') // '50%25%0Aok'
 */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Escapes a property value, where `:` and `,` would end the value.
 * @example escapeProperty('a:b,c') // 'a%3Ab%2Cc'
 */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One workflow command line (no trailing newline).
 * @example formatAnnotation({ level: 'error', file: 'checks.yml', line: 3, message: 'bad' }) // '::error file=checks.yml,line=3::bad'
 */
export function formatAnnotation(a: Annotation): string {
  const props: string[] = [];
  if (a.file !== undefined) props.push(`file=${escapeProperty(a.file)}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  if (a.endLine !== undefined) props.push(`endLine=${a.endLine}`);
  if (a.col !== undefined) props.push(`col=${a.col}`);
  if (a.endColumn !== undefined) props.push(`endColumn=${a.endColumn}`);
  if (a.title !== undefined) props.push(`title=${escapeProperty(a.title)}`);
  return `::${a.level}${props.length > 0 ? ' ' + props.join(',') : ''}::${escapeData(a.message)}`;
}

/**
 * One `::error` per failed or errored check, on the check's line of the checks file.
 *
 * @example
 *   for (const line of checkAnnotations(results, 'checks.yaml')) io.stdout(line + '\n');
 */
export function checkAnnotations(results: readonly CheckResult[], file: string): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (r.passed && r.error === undefined) continue;
    const message =
      r.error !== undefined
        ? `${r.url}: could not run: ${r.error}`
        : [`${r.url}:`, ...r.failures.map((f) => `- ${f.message}`)].join('\n');
    out.push(
      formatAnnotation({
        level: 'error',
        file,
        ...(r.line !== undefined ? { line: r.line } : {}),
        title: `h2doctor check: ${r.name} (${r.env})`,
        message,
      }),
    );
  }
  return out;
}

/**
 * One `::error` per checks-file problem, at its line and column.
 * @example checksFileErrorAnnotations([{ file: 'checks.yml', line: 2, column: 5, message: 'unknown key' }]) // ['::error file=checks.yml,line=2,col=5,title=h2doctor%3A bad checks file::unknown key']
 */
export function checksFileErrorAnnotations(errors: readonly ChecksFileError[]): string[] {
  return errors.map((e) =>
    formatAnnotation({ level: 'error', file: e.file, line: e.line, col: e.column, title: 'h2doctor: bad checks file', message: e.message }),
  );
}

/** A table cell of GitHub-flavoured Markdown: one line, `|` escaped, HTML-significant characters neutralised. */
function cell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '\\|').replace(/`/g, "'");
}

/**
 * The job summary (`$GITHUB_STEP_SUMMARY`, GitHub-flavoured Markdown): a heading with the totals,
 * a table with a row per check, and under it each failed expectation or why a check could not run.
 * Appended to the file by the caller, as GitHub's own steps do.
 *
 * @example
 *   appendFileSync(process.env.GITHUB_STEP_SUMMARY!, checkSummaryMarkdown(results, { file: 'checks.yaml', env: 'prod', wall: 812 }));
 */
export function checkSummaryMarkdown(results: readonly CheckResult[], o: { file: string; env: string; wall: number }): string {
  const passed = results.filter((r) => r.passed).length;
  const errors = results.filter((r) => r.error !== undefined).length;
  const failed = results.length - passed - errors;
  const mark = passed === results.length ? '✅' : '❌';
  const out = [
    `### ${mark} h2doctor check: ${cell(o.file)} (env ${cell(o.env)})`,
    '',
    `**${passed} passed, ${failed} failed${errors > 0 ? `, ${errors} could not run` : ''}** (${results.length} checks, ${o.wall} ms)`,
    '',
    '| check | url | result | time |',
    '|---|---|---|---:|',
  ];
  for (const r of results) {
    const result = r.error !== undefined ? '⚠️ could not run' : r.passed ? '✅ pass' : '❌ fail';
    out.push(`| ${cell(r.name)} | ${cell(r.url)} | ${result} | ${r.durationMs} ms |`);
  }
  const bad = results.filter((r) => !r.passed);
  if (bad.length > 0) {
    out.push('');
    for (const r of bad) {
      out.push(`**${cell(r.name)}** (${cell(r.url)})`);
      if (r.error !== undefined) out.push(`- could not run: ${cell(r.error)}`);
      for (const f of r.failures) out.push(`- \`${f.expectation.replace(/`/g, "'")}\`: ${cell(f.message)}`);
      out.push('');
    }
  }
  return out.join('\n').trimEnd() + '\n\n';
}
