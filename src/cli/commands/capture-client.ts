/**
 * `h2doctor capture-client [--port N] [--out file]`: listen on loopback (TLS with the lab CA, and
 * cleartext on the same port), record the ClientHello and HTTP/2 opening of whatever connects, and
 * write a client profile (JSON) that `--client <file>` and `--clients` replay.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv } from '../spec.js';
import { commandSpec } from '../registry.js';
import { intFlag, widthOf } from '../connect.js';

export async function captureClientCommand(args: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('capture-client');
  const p = parseArgv(spec, args);
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  const positionals = p.positionals;
  const values = { port: p.str('port'), timeout: p.str('timeout'), id: p.str('id'), out: p.str('out'), name: p.str('name'), 'client-version': p.str('client-version'), cleartext: p.bool('cleartext'), 'needs-h2': p.bool('needs-h2'), 'ca-out': p.str('ca-out') };
  if (positionals.length) throw new UsageError(`capture-client takes no arguments, got ${positionals.join(' ')}`);
  const port = intFlag('--port', values.port, 1, 65535);
  const timeoutMs = intFlag('--timeout', values.timeout, 100, 3_600_000) ?? 60_000;
  const id = values.id ?? 'my-client';
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(id)) throw new UsageError(`--id must be a short lower-case name, got ${JSON.stringify(id)}`);
  const out = join(io.cwd, values.out ?? 'client-profile.json');
  const [{ captureSession }, { createLabPki, writeLabPki }, { profileFromCapture }] = await Promise.all([
    import('../../lab/capture.js'),
    import('../../lab/pki.js'),
    import('../../clients/from-capture.js'),
  ]);
  const pki = await createLabPki();
  const c = await pki.preset('valid');
  const caDir = values['ca-out'] ? join(io.cwd, values['ca-out']) : join(tmpdir(), `h2doctor-capture-${process.pid}`);
  const { caFile } = await writeLabPki(caDir, pki);
  let s;
  try {
    s = await captureSession({ cert: { cert: c.serverCertPem, key: c.keyPem }, ...(port ? { port } : {}), cleartext: !!values.cleartext, timeoutMs });
  } catch (e) {
    throw new UsageError(`cannot listen on 127.0.0.1:${port ?? 0}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  io.stdout(`listening: https://localhost:${s.port}/ and http://localhost:${s.port}/ (127.0.0.1)\nlab CA: ${caFile}\n`);
  const got = await s.done;
  await s.stop();
  let profile;
  try {
    profile = profileFromCapture(
      {
        id,
        client: { name: values.name ?? id, version: values['client-version'] ?? 'unknown' },
        date: new Date().toISOString().slice(0, 10),
        with: 'h2doctor capture-client',
        ...(values['needs-h2'] ? { policy: { needsH2: true } } : {}),
      },
      got.tls,
      got.cleartext,
    );
  } catch (e) {
    io.stderr(`h2doctor: ${(e as Error).message} within ${timeoutMs} ms\n`);
    return EXIT.fail;
  }
  await writeFile(out, JSON.stringify(profile, null, 2) + '\n');
  io.stdout(`wrote ${out}: ${profile.ja4 ?? 'no TLS'}  ALPN ${profile.tls?.alpn?.join(',') ?? 'none'}  h2 ${profile.h2?.akamai ?? 'not spoken'}\n`);
  return EXIT.ok;
}
