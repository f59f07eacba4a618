/**
 * `h2doctor exporter [--listen 127.0.0.1:9799] [--config modules.yaml]`: a Prometheus exporter in
 * the blackbox exporter's shape (docs/exporter.md). Serves until SIGINT/SIGTERM.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv } from '../spec.js';
import { commandSpec } from '../registry.js';
import { connectionOptions, widthOf } from '../connect.js';
import { startExporter } from '../../exporter/server.js';
import { parseModules } from '../../exporter/modules.js';

export async function exporterCommand(args: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('exporter');
  const p = parseArgv(spec, args);
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  if (p.positionals.length) throw new UsageError(`exporter takes no arguments (targets come in /probe?target=…), got ${p.positionals.join(' ')}`);
  const listen = p.str('listen') ?? '127.0.0.1:9799';
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(listen);
  const port = m ? Number(m[3]) : NaN;
  if (!m || !(port >= 0 && port <= 65535)) throw new UsageError(`--listen wants host:port (e.g. 127.0.0.1:9799 or [::1]:9799), got ${JSON.stringify(listen)}`);
  const host = m[1] ?? m[2]!;
  const base = await connectionOptions(p, io);
  base.survey = false;
  const config = p.str('config');
  let modules: Record<string, typeof base> = { default: base };
  if (config !== undefined) {
    const file = resolvePath(io.cwd, config);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--config: cannot read ${config}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    try {
      modules = await parseModules(text, base, (f) => readFile(resolvePath(dirname(file), f), 'utf8'), dirname(file));
    } catch (e) {
      throw new UsageError(`--config ${config}: ${(e as Error).message}`);
    }
  }
  let ex;
  try {
    ex = await startExporter({ host, port, modules });
  } catch (e) {
    throw new UsageError(`--listen ${listen}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const shown = host.includes(':') ? `[${host}]:${ex.port}` : `${host}:${ex.port}`;
  io.stdout(`h2doctor exporter listening on http://${shown}/  (modules: ${Object.keys(modules).join(', ')})\n  probe:   http://${shown}/probe?target=https://example.com\n  metrics: http://${shown}/metrics\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await ex.stop();
  return EXIT.ok;
}
