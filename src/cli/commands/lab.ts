/**
 * `h2doctor lab`: list the scenarios, serve one on loopback, or diagnose them all.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { UsageError } from '../../model/errors.js';
import { parseArgv } from '../spec.js';
import { commandSpec } from '../registry.js';
import { useColor, widthOf } from '../connect.js';
import { fitLines, tableRows } from '../../report/layout.js';
import { styler } from '../../report/style.js';
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
  const c = styler(color);
  if (values.list) {
    const w = Math.max(...SCENARIOS.map((s) => s.id.length));
    const lines = SCENARIOS.map((s) => `${s.id.padEnd(w)}  ${s.family.padEnd(10)} ${(s.expect.join(', ') || '(healthy)').padEnd(48)} ${s.title}`);
    io.stdout(fitLines(lines, widthOf(io)).join('\n') + '\n');
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
      // A table sized from its data, fitted to the terminal: the codes column wraps beside its row.
      const width = widthOf(io);
      const codes = (r: (typeof results)[number]) => {
        const expected = r.expected.join(', ') || '(none)';
        return r.pass ? expected : `expected ${expected}; found ${r.found.join(', ') || '(none)'}`;
      };
      const rows = results.map((r) => [r.scenario, `${r.pass ? c('pass', 'green') : c('FAIL', 'red')} ${c(`${r.durationMs} ms`, 'dim')}`, codes(r)]);
      const groups = tableRows([['scenario', 'result', 'codes (expected = found)'], ...rows], width);
      io.stdout(groups[0]!.join('\n') + '\n');
      results.forEach((r, i) => {
        io.stdout(groups[i + 1]!.join('\n') + '\n');
        if (!r.pass) io.stdout(fitLines([`  ${c(r.problems.join('; '), 'red')}`], width).join('\n') + '\n');
      });
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
