/**
 * `h2doctor lab`: list the scenarios, serve one on loopback, or diagnose them all.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT, UsageError } from '../io.js';
import { parseArgv } from '../spec.js';
import { commandSpec } from '../registry.js';
import { useColor, widthOf } from '../connect.js';
import { ALL_SCENARIOS as SCENARIOS, findScenario } from '../../lab/scenarios.js';
import { runLab } from '../../lab/run.js';
import { createLabPki, writeLabPki } from '../../lab/pki.js';
import { labServe } from './lab-serve.js';

export async function labCommand(argv: string[], io: CliIO): Promise<number> {
  const spec = commandSpec('lab');
  const p = parseArgv(spec, argv);
  const positionals = p.positionals;
  const values = { serve: p.bool('serve'), list: p.bool('list'), diagnose: p.bool('diagnose'), json: p.bool('json'), verbose: p.bool('verbose') };
  if (p.bool('help')) {
    io.stdout((await import('../help.js')).commandHelp(spec, widthOf(io)));
    return EXIT.ok;
  }
  const color = useColor(p, io);
  const c = (s: string, code: number) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  if (values.list) {
    const w = Math.max(...SCENARIOS.map((s) => s.id.length));
    for (const s of SCENARIOS) io.stdout(`${s.id.padEnd(w)}  ${s.family.padEnd(10)} ${(s.expect.join(', ') || '(healthy)').padEnd(48)} ${s.title}\n`);
    return EXIT.ok;
  }
  for (const id of positionals) {
    if (!findScenario(id)) throw new UsageError(`no lab scenario "${id}" (see: h2doctor lab --list)`);
  }
  if (p.rest !== undefined && !values.serve) throw new UsageError('a command after -- goes with --serve');
  if (values.serve) return labServe(positionals, p.rest ?? [], io);
  if (values.diagnose) {
    const t0 = performance.now();
    const results = await runLab(positionals);
    const wall = Math.round(performance.now() - t0);
    const passed = results.filter((r) => r.pass).length;
    if (values.json) {
      io.stdout(JSON.stringify({ passed, failed: results.length - passed, durationMs: wall, results: results.map(({ report, ...r }) => (values.verbose ? { ...r, report } : r)) }, null, 2) + '\n');
    } else {
      const w = Math.max(8, ...results.map((r) => r.scenario.length));
      const we = Math.max(8, ...results.map((r) => (r.expected.join(', ') || '(none)').length));
      io.stdout(`${'scenario'.padEnd(w)}  ${'expected'.padEnd(we)}  ${'found'.padEnd(40)}  result\n`);
      for (const r of results) {
        const found = r.found.join(', ') || '(none)';
        const verdict = r.pass ? c('pass', 32) : c('FAIL', 31);
        io.stdout(`${r.scenario.padEnd(w)}  ${(r.expected.join(', ') || '(none)').padEnd(we)}  ${found.padEnd(40)}  ${verdict}  ${c(`${r.durationMs} ms`, 2)}\n`);
        if (!r.pass) io.stdout(`${' '.repeat(w)}  ${c(r.problems.join('; '), 31)}\n`);
      }
      io.stdout(`\n${passed} passed, ${results.length - passed} failed  (${results.length} scenarios in ${wall} ms)\n`);
    }
    return passed === results.length ? EXIT.ok : EXIT.fail;
  }
  if (positionals.length !== 1) throw new UsageError('name one scenario to serve, or use --list / --diagnose');
  const s = findScenario(positionals[0]!)!;
  const pki = await createLabPki();
  const dir = join(tmpdir(), `h2doctor-lab-${process.pid}`);
  const { caFile } = await writeLabPki(dir, pki);
  const running = await s.start({ pki });
  const pins = running.resolve?.map((r) => ` --resolve ${r}`).join('') ?? '';
  io.stdout(`${s.id}: ${s.title}\n  serving ${running.url}\n  expected: ${s.expect.join(', ') || '(healthy)'}\n  CA file: ${caFile}\n\n  try: h2doctor ${running.url} --cacert ${caFile}${pins}\n\nCtrl-C stops it.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  return EXIT.ok;
}
