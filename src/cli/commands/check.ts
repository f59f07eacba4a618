/**
 * `h2doctor check <file> --env <name>`: runs a checks file's expectations and says which hold.
 * A bad file is refused (`file:line:column: what is wrong`, exit 2) before any connection.
 */
import { writeHtmlFile } from './diagnose.js';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import type { CliIO } from '../io.js';
import { CHECKS_FILE_MAX_BYTES, EXIT } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv, type Parsed } from '../spec.js';
import { commandSpec } from '../registry.js';
import { connectionOptions, intFlag, knownWidth, useColor, widthOf } from '../connect.js';
import { connectionArgs, connectionError } from '../../check/connection.js';
import type { DiagnoseOptions } from '../../diagnose.js';
import { DEFAULT_ENVIRONMENT, formatChecksFileError, parseChecksFile } from '../../check/parse.js';
import { loadCa, runChecks, RUN_DEFAULTS } from '../../check/run.js';
import { toJUnitXml } from '../../report/junit.js';
import { checkAnnotations, checkSummaryMarkdown, checksFileErrorAnnotations, isGitHubActions } from '../../report/github.js';
import { toSarif } from '../../report/sarif.js';
import { renderTable } from '../../report/check-table.js';
import type { CheckResult, ChecksFileError } from '../../model/index.js';

export async function checkCommand(args: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('check');
  const p = parseArgv(spec, args);
  const positionals = p.positionals;
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('no checks file given (try: h2doctor check checks.yaml --env prod)');
  if (positionals.length > 1) throw new UsageError(`one checks file at a time, got ${positionals.length}: ${positionals.join(' ')}`);
  const concurrency = intFlag('--concurrency', p.str('concurrency'), 1, 64) ?? RUN_DEFAULTS.concurrency;
  const timeoutMs = intFlag('--timeout', p.str('timeout'), 1, 600_000) ?? RUN_DEFAULTS.timeoutMs;
  if (p.str('env') !== undefined && p.str('env') === '') throw new UsageError('--env wants an environment name');

  // Output settings refused before anything is read or connected to.
  const sarif = p.str('sarif');
  if (sarif === '') throw new UsageError("--sarif wants a file name, or '-' for standard output");
  if (sarif === '-' && p.bool('json')) throw new UsageError("--sarif - and --json both want standard output: write one of them to a file (--sarif h2doctor.sarif)");
  const summaryFile = p.bool('github-summary') ? io.env.GITHUB_STEP_SUMMARY : undefined;
  if (p.bool('github-summary') && !summaryFile) throw new UsageError('--github-summary: GITHUB_STEP_SUMMARY is not set (GitHub Actions sets it for each step)');

  const arg = positionals[0]!;
  const { text, path, shown } = await readChecks(arg, io);
  const gha = isGitHubActions(io.env);
  const refuse = (errors: readonly ChecksFileError[]): number => {
    for (const e of errors) io.stderr(formatChecksFileError(e) + '\n');
    if (gha) for (const line of checksFileErrorAnnotations(errors)) io.stdout(line + '\n');
    return EXIT.usage;
  };

  // The file alone first: its own errors come before any question about --env.
  const parsed = parseChecksFile(text, shown);
  if (!parsed.ok) return refuse(parsed.errors);
  const envNames = Object.keys(parsed.file.environments ?? {});
  let env = p.str('env');
  if (env === undefined) {
    if (envNames.length === 0) env = DEFAULT_ENVIRONMENT;
    else if (envNames.length === 1) env = envNames[0]!;
    else throw new UsageError(`--env is needed: ${shown} defines ${envNames.map((n) => `'${n}'`).join(', ')}`);
  }
  const planned = parseChecksFile(text, shown, { env, processEnv: io.env });
  if (!planned.ok) return refuse(planned.errors);
  const plan = planned.plan!;
  const checksDir = path === undefined ? io.cwd : dirname(path);
  // --cacert on the command line replaces the file's (which is then not read).
  const ca = p.has('cacert') ? ({ ok: true } as { ok: true; path?: string }) : await loadCa(plan.environment, checksDir, shown);
  if (!ca.ok) return refuse([ca.error]);
  // The environment's connection flags become the arguments they name, unless given here: one meaning, one set of checks.
  const fileArgs = connectionArgs(plan.environment, checksDir, (f) => p.has(f));
  if (ca.path !== undefined) fileArgs.push(`--cacert=${ca.path}`);
  let connection: DiagnoseOptions;
  try {
    connection = await connectionOptions(parseArgv(spec, [...fileArgs, ...args]), io);
  } catch (e) {
    // A value from the file that the flag's own checks refuse is the file's error, at its line.
    if (e instanceof UsageError && fileArgs.length > 0 && !connectionFlagOnCommandLine(e.message, p)) return refuse([connectionError(plan.environment, shown, e.message)]);
    throw e;
  }

  const t0 = performance.now();
  const results = await runChecks(plan, {
    concurrency,
    timeoutMs,
    processEnv: io.env,
    connection,
  });
  const wall = Math.round(performance.now() - t0);
  return writeReports(results, p, io, { shown, env, wall, sarif, summaryFile, gha });
}

/** The checks file's text ('-': standard input), refused past its size; `shown` names it as the user did. */
async function readChecks(arg: string, io: CliIO): Promise<{ text: string; path: string | undefined; shown: string }> {
  const path = arg === '-' ? undefined : resolvePath(io.cwd, arg);
  // Named as the user named it (relative to the working directory), so editors and CI link it.
  const shown = path === undefined ? '<stdin>' : displayPath(path, io.cwd);
  let text: string;
  if (path === undefined) text = await io.readStdin();
  else {
    try {
      const size = (await stat(path)).size;
      if (size > CHECKS_FILE_MAX_BYTES) throw new UsageError(`${shown} is ${size} bytes, over the ${CHECKS_FILE_MAX_BYTES / (1024 * 1024)} MiB a checks file may have; refused`);
      text = await readFile(path, 'utf8');
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return { text, path, shown };
}

/**
 * The results written where asked (--junit, --html, --github-summary, --sarif) and shown (--json,
 * or the table with GitHub annotations); the exit code: 0 all passed, 1 not, 2 an output not written.
 */
async function writeReports(
  results: CheckResult[],
  p: Parsed,
  io: CliIO,
  o: { shown: string; env: string; wall: number; sarif: string | undefined; summaryFile: string | undefined; gha: boolean },
): Promise<number> {
  const { shown, env, wall, sarif, summaryFile, gha } = o;
  const passed = results.filter((r) => r.passed).length;
  const junit = p.str('junit');
  if (junit !== undefined) {
    const out = resolvePath(io.cwd, junit);
    try {
      await writeFile(out, toJUnitXml(results, { timestamp: new Date(Date.now() - wall) }));
    } catch (e) {
      io.stderr(`h2doctor: --junit: cannot write ${p.str('junit')}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  const html = p.str('html');
  if (html !== undefined) {
    const { renderCheckHtml } = await import('../../report/html.js');
    writeHtmlFile(resolvePath(io.cwd, html), html, renderCheckHtml(results, { file: shown, env, wall }));
  }
  if (summaryFile !== undefined) {
    try {
      // Appended, as GitHub's own steps do: several steps (and several check runs) share one summary.
      await appendFile(summaryFile, checkSummaryMarkdown(results, { file: shown, env, wall }));
    } catch (e) {
      io.stderr(`h2doctor: --github-summary: cannot append to ${summaryFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  if (sarif !== undefined) {
    const doc = JSON.stringify(toSarif(results, { file: shown, env }), null, 2) + '\n';
    if (sarif === '-') {
      io.stdout(doc);
      return passed === results.length ? EXIT.ok : EXIT.fail;
    }
    try {
      await writeFile(resolvePath(io.cwd, sarif), doc);
    } catch (e) {
      io.stderr(`h2doctor: --sarif: cannot write ${sarif}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
      return EXIT.usage;
    }
  }
  if (p.bool('json')) {
    const failed = results.filter((r) => !r.passed && r.error === undefined).length;
    const errors = results.filter((r) => r.error !== undefined).length;
    io.stdout(JSON.stringify({ schemaVersion: 1, file: shown, env, passed, failed, errors, durationMs: wall, results }, null, 2) + '\n');
  } else {
    io.stdout(renderTable(results, { color: useColor(p, io), env, wall, ...(knownWidth(io) ? { width: knownWidth(io)! } : {}) }));
    // Workflow commands go to standard output; not into a JSON document there.
    if (gha) for (const line of checkAnnotations(results, shown)) io.stdout(line + '\n');
  }
  return passed === results.length ? EXIT.ok : EXIT.fail;
}

/** Whether a flag a connection error names was given on the command line (then it is a usage error, not the file's). */
function connectionFlagOnCommandLine(message: string, p: Parsed): boolean {
  const SHORT: Record<string, string> = { A: 'user-agent', k: 'insecure', E: 'cert', '4': 'ipv4', '6': 'ipv6', m: 'max-time', x: 'proxy' };
  const named = /^--?([A-Za-z0-9][a-z-]*)/.exec(message)?.[1];
  const flag = named !== undefined ? (SHORT[named] ?? named) : undefined;
  return flag !== undefined && p.spec.flags.some((f) => f.name === flag) && p.has(flag);
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
