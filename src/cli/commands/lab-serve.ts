/**
 * `h2doctor lab --serve [<scenario>…] [-- <command> [args…]]`: serves several lab scenarios at
 * once and names each one's URL and address pin as variables, so a checks file can point at them
 * (`examples/lab.yaml`). Without a command it prints `export` lines and serves until interrupted;
 * with one it runs the command with the variables set, stops the scenarios, and exits with the
 * command's status.
 *
 * @example
 *   h2doctor lab --serve -- h2doctor check examples/lab.yaml --env lab
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIO } from '../io.js';
import { EXIT } from '../io.js';
import { ALL_SCENARIOS, findScenario } from '../../lab/scenarios.js';
import type { LabScenario, RunningScenario } from '../../lab/helpers.js';
import { createLabPki, writeLabPki } from '../../lab/pki.js';

/** The variable holding the lab CA file's path. */
export const LAB_CA_VARIABLE = 'H2DOCTOR_LAB_CA';

/**
 * The variable names of one scenario: `healthy-tls` → `HEALTHY_TLS_URL`, `HEALTHY_TLS_PIN`.
 *
 * @example labVariableNames('tls-alpn-no-h2') // { url: 'TLS_ALPN_NO_H2_URL', pin: 'TLS_ALPN_NO_H2_PIN' }
 */
export function labVariableNames(id: string): { url: string; pin: string } {
  const base = id.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  return { url: `${base}_URL`, pin: `${base}_PIN` };
}

/**
 * Starts the scenarios and returns their variables (URL, pin, the CA file) and a stop function.
 * A scenario that cannot start is left out, with a note.
 */
export async function startLabScenarios(
  scenarios: readonly LabScenario[],
  caDir: string,
): Promise<{ vars: Record<string, string>; notes: string[]; stop(): Promise<void> }> {
  const pki = await createLabPki();
  const { caFile } = await writeLabPki(caDir, pki);
  const vars: Record<string, string> = { [LAB_CA_VARIABLE]: caFile };
  const notes: string[] = [];
  const running: RunningScenario[] = [];
  await Promise.all(
    scenarios.map(async (s) => {
      try {
        const r = await s.start({ pki });
        running.push(r);
        const names = labVariableNames(s.id);
        vars[names.url] = r.url;
        // The first pin: every scenario pins its one host:port.
        if (r.resolve?.[0]) vars[names.pin] = r.resolve[0];
        // A scenario behind a proxy: the proxy URL, so real clients can be pointed through it.
        if (r.options?.proxy) vars[`${names.url.slice(0, -'_URL'.length)}_PROXY`] = r.options.proxy;
      } catch (e) {
        notes.push(`${s.id}: could not start: ${(e as Error).message}`);
      }
    }),
  );
  return { vars, notes, stop: async () => void (await Promise.all(running.map((r) => r.stop()))) };
}

export async function labServe(ids: string[], command: string[], io: CliIO): Promise<number> {
  const chosen = ids.length > 0 ? ids.map((id) => findScenario(id)!) : ALL_SCENARIOS;
  const lab = await startLabScenarios(chosen, join(tmpdir(), `h2doctor-lab-${process.pid}`));
  for (const n of lab.notes) io.stderr(`h2doctor: ${n}\n`);
  const keys = Object.keys(lab.vars).sort((a, b) => (a === LAB_CA_VARIABLE ? -1 : b === LAB_CA_VARIABLE ? 1 : a.localeCompare(b)));
  try {
    if (command.length === 0) {
      io.stdout(keys.map((k) => `export ${k}=${shellQuote(lab.vars[k]!)}`).join('\n') + '\n');
      io.stdout(`# ${chosen.length - lab.notes.length} scenarios serving on loopback; Ctrl-C stops them.\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      return EXIT.ok;
    }
    return await new Promise<number>((resolve) => {
      const child = spawn(command[0]!, command.slice(1), { stdio: 'inherit', env: { ...io.env, ...lab.vars }, cwd: io.cwd });
      child.on('error', (e) => {
        io.stderr(`h2doctor: lab --serve: cannot run ${command[0]}: ${(e as NodeJS.ErrnoException).code ?? e.message}\n`);
        resolve(EXIT.usage);
      });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? EXIT.fail : EXIT.internal)));
    });
  } finally {
    await lab.stop();
  }
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:,@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
