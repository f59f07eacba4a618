/**
 * `h2doctor init <url> [-o FILE] [--force]`: diagnoses the URL and writes a starter checks file
 * with what it does now as expectations (src/check/init.ts).
 */
import { access, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT, UsageError } from '../io.js';
import { parse } from '../args.js';
import { diagnose } from '../../diagnose.js';
import { parseResolve, parseTarget } from '../../target.js';
import { starterChecksFile } from '../../check/init.js';
import { formatChecksFileError, parseChecksFile } from '../../check/parse.js';
import { optionsFromFlags, readCa } from './diagnose.js';

export const INIT_HELP = `Usage: h2doctor init <url> [-o <file>] [--force] [options]

Diagnoses <url> and writes a starter checks file (docs/checks.md) whose expectations are what the
endpoint does now, commented. Edit it, then run: h2doctor check <file>.

  -o, --output <file>    where to write (default checks.yaml; '-' prints it)
  --force                overwrite an existing file
  --env <name>           the environment's name in the file (default 'default')
  --resolve <host:port:addr[,addr]>
                         use these addresses for host:port, as curl does (repeatable; kept in the file)
  --cacert <file>        PEM CA bundle to verify the server with (kept in the file)
  --timeout <ms>         deadline for each probe
  --proxy <url>          go through this HTTP proxy (kept in the file)
  --no-proxy             ignore the proxy variables
  -h, --help             this help

Exit status: 0 written, 2 bad usage or the file exists, 3 internal error.
`;

const FLAGS = {
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean' },
  env: { type: 'string' },
  resolve: { type: 'string', multiple: true },
  cacert: { type: 'string' },
  timeout: { type: 'string' },
  proxy: { type: 'string' },
  'no-proxy': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function initCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(args, FLAGS);
  if (values.help) {
    io.stdout(INIT_HELP);
    return EXIT.ok;
  }
  if (positionals.length === 0) throw new UsageError('no URL given (try: h2doctor init https://example.com/health)');
  if (positionals.length > 1) throw new UsageError(`one URL at a time, got ${positionals.length}: ${positionals.join(' ')}`);
  const envName = values.env ?? 'default';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(envName)) throw new UsageError(`--env: not a valid environment name: ${JSON.stringify(envName)}`);
  const target = parseTarget(positionals[0]!);
  const pins = (values.resolve ?? []).map(parseResolve);
  const toStdout = values.output === '-';
  const out = toStdout ? undefined : resolvePath(io.cwd, values.output ?? 'checks.yaml');
  // Refused before any connection.
  if (out !== undefined && !values.force && (await exists(out))) {
    throw new UsageError(`${values.output ?? 'checks.yaml'} exists; use --force to overwrite it, or -o to write elsewhere`);
  }
  const ca = values.cacert !== undefined ? await readCa(values.cacert) : undefined;

  const report = await diagnose(target, { ...optionsFromFlags(values, io), resolve: pins, ...(ca ? { ca } : {}) });
  const fileName = out === undefined ? 'checks.yaml' : relativeTo(io.cwd, out);
  const cacert = values.cacert === undefined ? undefined : relativeTo(out === undefined ? io.cwd : dirname(out), resolvePath(io.cwd, values.cacert));
  let text = starterChecksFile(report, {
    envName,
    now: new Date(),
    fileName,
    ...(pins.length > 0 ? { resolve: pins.map((p) => p.raw) } : {}),
    ...(cacert !== undefined ? { cacert } : {}),
  });
  if (values.proxy !== undefined) text = text.replace(/^( {4}baseUrl: .*)$/m, `$1\n    proxy: ${JSON.stringify(values.proxy)}`);

  // The file must be one `check` accepts: a failure here is our bug, not the user's.
  const parsed = parseChecksFile(text, fileName, { env: envName, processEnv: {} });
  if (!parsed.ok) throw new Error(`init wrote a checks file that does not parse:\n${parsed.errors.map(formatChecksFileError).join('\n')}`);

  if (out === undefined) {
    io.stdout(text);
    return EXIT.ok;
  }
  try {
    await writeFile(out, text, { flag: values.force ? 'w' : 'wx' });
  } catch (e) {
    throw new UsageError(`cannot write ${fileName}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const n = parsed.plan!.checks[0]!.expect;
  io.stdout(
    `wrote ${fileName}: 1 check with ${Object.keys(n).length} expectations (diagnosis now: ${report.verdict}` +
      `${report.findings.length > 0 ? `, ${report.findings.map((f) => f.code).join(', ')}` : ''}).\n` +
      `Edit it, then run: h2doctor check ${fileName}${envName === 'default' ? '' : ` --env ${envName}`}\n`,
  );
  return EXIT.ok;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

function relativeTo(dir: string, path: string): string {
  const rel = relative(dir, path);
  return rel !== '' && !isAbsolute(rel) ? rel : path;
}
