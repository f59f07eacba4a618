/**
 * `h2doctor init <url> [-o FILE] [--force]`: diagnoses the URL and writes a starter checks file
 * with what it does now as expectations (src/check/init.ts).
 */
import { access, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve as resolvePath } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv } from '../spec.js';
import { commandSpec } from '../registry.js';
import { connectionOptions, widthOf } from '../connect.js';
import { diagnose } from '../../diagnose.js';
import { parseTarget } from '../../model/target.js';
import type { Report } from '../../model/index.js';
import { starterChecksFile } from '../../check/init.js';
import { formatChecksFileError, parseChecksFile } from '../../check/parse.js';
import { oneUrl } from './diagnose.js';

export async function initCommand(args: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('init');
  const p = parseArgv(spec, args);
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  const url = oneUrl(p, 'h2doctor init https://example.com/health');
  const envName = p.str('env') ?? 'default';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(envName)) throw new UsageError(`--env: not a valid environment name: ${JSON.stringify(envName)}`);
  const pinsRaw = p.list('resolve');
  const toStdout = p.str('output') === '-';
  const out = toStdout ? undefined : resolvePath(io.cwd, p.str('output') ?? 'checks.yaml');
  // Refused before any connection.
  if (out !== undefined && !p.bool('force') && (await exists(out))) {
    throw new UsageError(`${p.str('output') ?? 'checks.yaml'} exists; use --force to overwrite it, or -o to write elsewhere`);
  }
  const options = await connectionOptions(p, io);
  const target = parseTarget(url, options.sni);

  const report = await diagnose(target, options);
  const fileName = out === undefined ? 'checks.yaml' : relativeTo(io.cwd, out);
  const cacertFlag = p.str('cacert');
  const cacert = cacertFlag === undefined ? undefined : relativeTo(out === undefined ? io.cwd : dirname(out), resolvePath(io.cwd, cacertFlag));
  let text = starterChecksFile(report, {
    envName,
    now: new Date(),
    fileName,
    ...(pinsRaw.length > 0 ? { resolve: pinsRaw.map((r) => r.trim()) } : {}),
    ...(cacert !== undefined ? { cacert } : {}),
  });
  if (p.str('proxy') !== undefined) text = text.replace(/^( {4}baseUrl: .*)$/m, `$1\n    proxy: ${JSON.stringify(p.str('proxy'))}`);

  // The file must be one `check` accepts: a failure here is our bug, not the user's.
  const parsed = parseChecksFile(text, fileName, { env: envName, processEnv: {} });
  if (!parsed.ok) throw new Error(`init wrote a checks file that does not parse:\n${parsed.errors.map(formatChecksFileError).join('\n')}`);

  const json = p.bool('json');
  if (out === undefined && !json) {
    io.stdout(text);
    return EXIT.ok;
  }
  if (out !== undefined) {
    try {
      await writeFile(out, text, { flag: p.bool('force') ? 'w' : 'wx' });
    } catch (e) {
      throw new UsageError(`cannot write ${fileName}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const warnings = failingNow(report, out === undefined ? 'the file' : fileName);
  for (const w of warnings) io.stderr(`h2doctor: warning: ${w}\n`);
  const n = parsed.plan!.checks[0]!.expect;
  if (json) {
    // docs/init.schema.json: the file as data (docs/checks.schema.json), and what the diagnosis saw.
    const { parse } = await import('yaml');
    const record = {
      schemaVersion: 1,
      url: report.target.url,
      file: out === undefined ? null : fileName,
      env: envName,
      checks: parsed.plan!.checks.length,
      expectations: Object.keys(n).length,
      diagnosis: { verdict: report.verdict, protocol: report.negotiated.protocol, codes: report.findings.map((f) => f.code) },
      warnings,
      checksFile: parse(text) as unknown,
      ...(out === undefined ? { text } : {}),
    };
    io.stdout(JSON.stringify(record, null, 2) + '\n');
    return EXIT.ok;
  }
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

/** HTTP/2 failing now: say so, and that the file holds the healthy expectation (check fails until fixed). */
function failingNow(report: Report, file: string): string[] {
  const h2 = report.negotiated.protocol === 'h2' || report.negotiated.protocol === 'h2c';
  const warnings: string[] = [];
  if (!h2 || report.verdict === 'fail') {
    const codes = report.findings.filter((f) => f.severity === 'error').map((f) => f.code);
    warnings.push(
      `HTTP/2 fails on ${report.target.url} now (${codes.join(', ') || `negotiated ${report.negotiated.protocol ?? 'nothing'}`}); ` +
        `${file} expects what a healthy endpoint gives, with the current failure as a comment, so check fails until it is fixed`,
    );
  }
  return warnings;
}
