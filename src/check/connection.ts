/**
 * An environment's connection flags (`connect-to`, `insecure`, `cert`, `max-time`, …: the command
 * line's names and meanings), from the checks file to the command line: `${var}` substituted when
 * the plan is made, then turned into the arguments the same flags would be on the command line, so
 * one parser and one set of checks (src/cli/connect.ts) give them their meaning. A flag given on
 * the command line wins over the file's.
 *
 * @example
 *   connectionArgs(plan.environment, '/repo/ci', (f) => p.has(f));
 *   // ['--connect-to', 'api.test:443:127.0.0.1:8443', '--insecure', '--cert', '/repo/ci/client.pem']
 */
import { isAbsolute, resolve as resolvePath } from 'node:path';
import type { ChecksFileError } from '../model/index.js';
import { ENV_CONNECTION_FLAGS, ENV_FILE_FLAGS, type Environment, type ResolvedEnvironment } from './types.js';

type Fill = (s: string, path: Array<string | number>, what: string) => string | undefined;

/**
 * The environment's connection flags with every `${var}` substituted (errors go to `fill`).
 *
 * @example
 *   resolveConnection({ insecure: true, 'connect-to': ['a:443:b:8443'] }, fill, ['environments', 'ci'], lineOf);
 */
export function resolveConnection(env: Environment, fill: Fill, envPath: Array<string | number>, lineOf: (path: Array<string | number>) => number): NonNullable<ResolvedEnvironment['connection']> {
  const out: NonNullable<ResolvedEnvironment['connection']> = [];
  for (const flag of ENV_CONNECTION_FLAGS) {
    const v = env[flag];
    if (v === undefined) continue;
    const path = [...envPath, flag];
    const line = lineOf(path);
    if (typeof v === 'boolean') {
      if (v) out.push({ flag, value: true, line });
    } else if (typeof v === 'number') {
      out.push({ flag, value: String(v), line });
    } else if (Array.isArray(v)) {
      const items = v.map((x, i) => fill(x, [...path, i], `${flag} entry`));
      if (items.every((x): x is string => x !== undefined)) out.push({ flag, value: items, line });
    } else {
      const s = fill(v, path, flag);
      if (s !== undefined) out.push({ flag, value: s, line });
    }
  }
  return out;
}

/**
 * The command-line arguments of the environment's connection flags that the command line itself
 * does not give; file names relative to the checks file's folder.
 *
 * @example
 *   connectionArgs({ name: 'ci', resolve: [], connection: [{ flag: 'key', value: 'k.pem', line: 5 }] }, '/ci', () => false);
 *   // ['--key', '/ci/k.pem']
 */
export function connectionArgs(env: ResolvedEnvironment, checksDir: string, onCommandLine: (flag: string) => boolean): string[] {
  const args: string[] = [];
  const path = (f: string) => (isAbsolute(f) ? f : resolvePath(checksDir, f));
  for (const { flag, value } of env.connection ?? []) {
    if (onCommandLine(flag)) continue;
    // -4 and -6 are one choice: either on the command line replaces the file's.
    if ((flag === 'ipv4' || flag === 'ipv6') && (onCommandLine('ipv4') || onCommandLine('ipv6'))) continue;
    if (value === true) args.push(`--${flag}`);
    else if (Array.isArray(value)) for (const v of value) args.push(`--${flag}`, v);
    else if (typeof value === 'string') {
      // curl's --cert file[:password]: only the file part is a path.
      if (flag === 'cert') {
        const m = /^((?:[^:\\]|\\.)*?)(:.*)?$/s.exec(value)!;
        args.push(`--${flag}=${path(m[1]!.replace(/\\:/g, ':')).replace(/:/g, '\\:')}${m[2] ?? ''}`);
      } else args.push(`--${flag}=${(ENV_FILE_FLAGS as readonly string[]).includes(flag) ? path(value) : value}`);
    }
  }
  return args;
}

/** A checks-file error at an environment flag's line (for a value the command line's checks refuse). */
export function connectionError(env: ResolvedEnvironment, file: string, message: string): ChecksFileError {
  const SHORT: Record<string, string> = { A: 'user-agent', k: 'insecure', E: 'cert', '4': 'ipv4', '6': 'ipv6', m: 'max-time' };
  const named = /^--?([A-Za-z0-9][a-z-]*)/.exec(message)?.[1];
  const flag = named !== undefined ? (SHORT[named] ?? named) : undefined;
  const at = env.connection?.find((c) => c.flag === flag)?.line ?? 1;
  return { file, line: at, column: 1, message };
}
