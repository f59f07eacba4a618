/**
 * The one argument parser: every command is a `CommandSpec` (src/cli/registry.ts) listing its
 * flags from the shared table (src/cli/flags.ts). Parsing, "did you mean", `--help`, the man page
 * and shell completion all read the same definitions.
 *
 * @example
 *   const p = parseArgv(spec, ['https://example.com', '-k', '--timeout=500']);
 *   p.bool('insecure'); // true
 *   p.str('timeout');   // '500'
 */
import { UsageError } from '../model/errors.js';

export interface FlagSpec {
  /** Long name without the dashes: `insecure` for `--insecure`. */
  name: string;
  /** One-letter short form: `k` for `-k`. */
  short?: string;
  /** A boolean flag takes no value; a string flag takes one (`--x v` or `--x=v`). */
  type: 'boolean' | 'string';
  /** Repeatable: every value is kept, in order. */
  multiple?: boolean;
  /** What the value is, for help and the man page: `<file>`. */
  value?: string;
  /** One sentence for help; may name a default. */
  help: string;
  /** The only values allowed (checked by the parser, offered by completion). */
  choices?: readonly string[];
  /** Shell completion of the value: file names, or nothing. */
  complete?: 'file' | 'dir';
  /** Parsed but not listed in help, completion or the man page (old spellings). */
  hidden?: boolean;
}

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage lines, without the leading `h2doctor `. */
  usage: readonly string[];
  /** A paragraph or two under the usage. */
  description: string;
  /** The positional arguments, for help and completion. */
  args?: ReadonlyArray<{ name: string; help: string; complete?: 'file' | 'url' | 'scenario' }>;
  flags: readonly FlagSpec[];
  /** Closing lines (exit status, notes). */
  footer?: string;
  /** An argument with whitespace that starts with '-' is text, not a flag (explain's pasted errors). */
  textArgs?: boolean;
  /** Everything after a bare `--` is passed through as `rest` instead of positionals. */
  passThrough?: boolean;
}

type Value = string | boolean | string[];

/** The parsed command line of one command; reading a flag the command does not declare is a bug. */
export class Parsed {
  constructor(
    readonly spec: CommandSpec,
    private readonly values: Map<string, Value>,
    readonly positionals: string[],
    /** After `--` when the command passes it through; otherwise undefined. */
    readonly rest: string[] | undefined,
  ) {}

  private known(name: string): FlagSpec {
    const f = this.spec.flags.find((x) => x.name === name);
    if (!f) throw new Error(`command ${this.spec.name} reads --${name}, which it does not declare`);
    return f;
  }
  bool(name: string): boolean {
    this.known(name);
    return this.values.get(name) === true;
  }
  str(name: string): string | undefined {
    const f = this.known(name);
    const v = this.values.get(name);
    if (f.multiple) return Array.isArray(v) ? v[v.length - 1] : undefined;
    return typeof v === 'string' ? v : undefined;
  }
  list(name: string): string[] {
    this.known(name);
    const v = this.values.get(name);
    return Array.isArray(v) ? [...v] : typeof v === 'string' ? [v] : [];
  }
  /** Given on the command line at all. */
  has(name: string): boolean {
    this.known(name);
    return this.values.has(name);
  }
}

/**
 * Parse `args` for `spec`: `--name value`, `--name=value`, `-x value`, `-xvalue`, grouped boolean
 * shorts (`-kv`), `--` ends the flags. Unknown flags are UsageErrors with a suggestion.
 */
export function parseArgv(spec: CommandSpec, args: readonly string[]): Parsed {
  const values = new Map<string, Value>();
  const positionals: string[] = [];
  let rest: string[] | undefined;
  const set = (f: FlagSpec, v: string | boolean, shown: string) => {
    if (typeof v === 'string' && f.choices && !f.choices.includes(v)) {
      throw new UsageError(`${shown} wants one of ${f.choices.join(', ')}, got ${JSON.stringify(v)}`);
    }
    if (f.multiple && typeof v === 'string') {
      const prev = values.get(f.name);
      values.set(f.name, [...(Array.isArray(prev) ? prev : []), v]);
    } else values.set(f.name, v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      if (spec.passThrough) rest = args.slice(i + 1);
      else positionals.push(...args.slice(i + 1));
      break;
    }
    const looksLikeFlag = a.startsWith('-') && a !== '-' && !(spec.textArgs && /\s/.test(a.split('=')[0]!));
    if (!looksLikeFlag) {
      positionals.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const f = spec.flags.find((x) => x.name === name);
      if (!f) throw unknownFlag(spec, `--${name}`);
      if (f.type === 'boolean') {
        if (eq >= 0) throw new UsageError(`--${name} takes no value (got ${JSON.stringify(a.slice(eq + 1))})`);
        set(f, true, `--${name}`);
      } else {
        const v = eq >= 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value${f.value ? ` ${f.value}` : ''}`);
        set(f, v, `--${name}`);
      }
      continue;
    }
    // Short flags: -k, -kv, -XPOST, -X POST.
    for (let j = 1; j < a.length; j++) {
      const ch = a[j]!;
      const f = spec.flags.find((x) => x.short === ch);
      if (!f) throw unknownFlag(spec, `-${ch}`, j === 1 ? a : undefined);
      if (f.type === 'boolean') {
        set(f, true, `-${ch}`);
        continue;
      }
      const inline = a.slice(j + 1);
      const v = inline !== '' ? inline : args[++i];
      if (v === undefined) throw new UsageError(`-${ch} needs a value${f.value ? ` ${f.value}` : ''}`);
      set(f, v, `-${ch}`);
      break;
    }
  }
  return new Parsed(spec, values, positionals, rest);
}

function unknownFlag(spec: CommandSpec, flag: string, whole?: string): UsageError {
  const names = spec.flags.filter((f) => !f.hidden).flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]);
  // `-insecure` (one dash) is a long flag typed short: compare the whole word.
  const probe = whole && whole.length > 2 ? `-${whole}` : flag;
  const near = suggest(probe, names.filter((n) => n.startsWith('--')));
  const hint = near.length ? ` (did you mean ${near.join(' or ')}?)` : '';
  const cmd = spec.name === 'diagnose' ? 'h2doctor --help' : `h2doctor help ${spec.name}`;
  return new UsageError(`unknown option ${whole && whole.length > 2 ? whole : flag}${hint ? hint : `; see ${cmd}`}`);
}

/**
 * The candidates nearest to `word` (edit distance with transpositions, case-insensitive), best
 * first; nothing when none is close enough to be a plausible typo.
 *
 * @example suggest('--insecur', ['--insecure', '--json']) // ['--insecure']
 */
export function suggest(word: string, candidates: readonly string[], max = 2): string[] {
  const w = word.toLowerCase();
  const scored = candidates
    .map((c) => {
      const cl = c.toLowerCase();
      let d = distance(w, cl);
      // A prefix of a long flag is as good as a small typo.
      if (cl.startsWith(w) && w.replace(/^-+/, '').length >= 3) d = Math.min(d, 1);
      return { c, d };
    })
    .filter(({ c, d }) => d <= Math.max(1, Math.floor(c.replace(/^-+/, '').length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  if (!scored.length) return [];
  const best = scored[0]!.d;
  return scored.filter((s) => s.d === best).slice(0, max).map((s) => s.c);
}

/** Optimal string alignment distance (Levenshtein with adjacent transpositions). */
export function distance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 8) return Math.abs(m - n);
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 0; j <= n; j++) d[0]![j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/** The flag as help shows it: `-k, --insecure` or `    --cacert <file>`. */
export function flagLabel(f: FlagSpec): string {
  const long = `--${f.name}${f.type === 'string' ? ` ${f.value ?? '<value>'}` : ''}`;
  return f.short ? `-${f.short}, ${long}` : `    ${long}`;
}
