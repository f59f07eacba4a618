/**
 * `h2doctor lab`: list the scenarios, serve one on loopback, or diagnose them all.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT, UsageError } from '../io.js';
import { parse } from '../args.js';
import { ALL_SCENARIOS as SCENARIOS, findScenario } from '../../lab/scenarios.js';
import { runLab } from '../../lab/run.js';
import { createLabPki, writeLabPki } from '../../lab/pki.js';
import { labServe } from './lab-serve.js';

const HELP = `Usage: h2doctor lab --list
       h2doctor lab <scenario>          serve one scenario on loopback until interrupted
       h2doctor lab --diagnose [<scenario>…] [--json] [-v]
                                        start every scenario, diagnose each, compare with the expected codes
       h2doctor lab --serve [<scenario>…] [-- <command> [args…]]
                                        serve several (default all), naming each as <ID>_URL and <ID>_PIN
                                        (and the CA as H2DOCTOR_LAB_CA): print export lines and serve until
                                        interrupted, or run <command> with them set and exit with its status

Exit status of --diagnose: 0 when every scenario gets exactly its expected codes, 1 otherwise.
`;

export async function labCommand(argv: string[], io: CliIO): Promise<number> {
  // `--serve … -- <command>`: what follows `--` is the command, not scenarios.
  const dd = argv.indexOf('--');
  const args = dd >= 0 ? argv.slice(0, dd) : argv;
  const { values, positionals } = parse(args, {
    serve: { type: 'boolean' },
    list: { type: 'boolean' },
    diagnose: { type: 'boolean' },
    json: { type: 'boolean' },
    verbose: { type: 'boolean', short: 'v' },
    'no-color': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  const color = io.color && !values['no-color'];
  const c = (s: string, code: number) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  if (values.list) {
    const w = Math.max(...SCENARIOS.map((s) => s.id.length));
    for (const s of SCENARIOS) io.stdout(`${s.id.padEnd(w)}  ${s.family.padEnd(10)} ${(s.expect.join(', ') || '(healthy)').padEnd(48)} ${s.title}\n`);
    return EXIT.ok;
  }
  for (const id of positionals) {
    if (!findScenario(id)) throw new UsageError(`no lab scenario "${id}" (see: h2doctor lab --list)`);
  }
  if (dd >= 0 && !values.serve) throw new UsageError('a command after -- goes with --serve');
  if (values.serve) return labServe(positionals, dd >= 0 ? argv.slice(dd + 1) : [], io);
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
