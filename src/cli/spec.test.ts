import { describe, expect, test, vi, afterEach } from 'vitest';
import dns from 'node:dns';
import net from 'node:net';
import { distance, parseArgv, suggest } from './spec.js';
import { COMMANDS, commandSpec } from './registry.js';
import { FLAGS } from './flags.js';
import { runCli } from './run.js';
import { commandHelp } from './help.js';
import { type CliIO } from './io.js';
import { UsageError } from '../model/errors.js';

function fakeIO(env: Record<string, string> = {}, columns?: number): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readStdin: async () => '',
    stdinIsTTY: true,
    color: false,
    env,
    cwd: '/',
    ...(columns ? { columns } : {}),
  };
  return io;
}

afterEach(() => vi.restoreAllMocks());

describe('parseArgv', () => {
  const spec = commandSpec('diagnose');
  test('long, long=value, short, short with inline value, grouped booleans, repeatable, --', () => {
    const p = parseArgv(spec, ['-kv', '--timeout=500', '-XPOST', '-H', 'a: b', '--header', 'c: d', '--resolve', 'x:1:127.0.0.1', 'https://x', '--', '--not-a-flag']);
    expect(p.bool('insecure')).toBe(true);
    expect(p.bool('verbose')).toBe(true);
    expect(p.str('timeout')).toBe('500');
    expect(p.str('request')).toBe('POST');
    expect(p.list('header')).toEqual(['a: b', 'c: d']);
    expect(p.list('resolve')).toEqual(['x:1:127.0.0.1']);
    expect(p.positionals).toEqual(['https://x', '--not-a-flag']);
    expect(p.bool('json')).toBe(false);
  });
  test('a flag the command does not declare is a programming error, not a silent undefined', () => {
    const p = parseArgv(commandSpec('lab'), []);
    expect(() => p.bool('insecure')).toThrow(/does not declare/);
  });
  test.each([
    [['--insecur'], /unknown option --insecur \(did you mean --insecure\?\)/],
    [['-insecure'], /unknown option -insecure \(did you mean --insecure\?\)/],
    [['--jsn'], /did you mean --json\?/],
    [['--cacrt', 'x'], /did you mean --cacert\?/],
    [['--zzzzzz'], /^unknown option --zzzzzz; see h2doctor --help$/],
    [['--timeout'], /--timeout needs a value <ms>/],
    [['--json=yes'], /--json takes no value/],
    [['--color=sometimes'], /--color wants one of auto, always, never/],
  ])('%j is a UsageError', (args, re) => {
    expect(() => parseArgv(spec, args)).toThrow(UsageError);
    expect(() => parseArgv(spec, args)).toThrow(re);
  });
  test('explain keeps pasted text that starts with a dash as text', () => {
    const p = parseArgv(commandSpec('explain'), ['-bash: curl: (16) Error', '--json']);
    expect(p.positionals).toEqual(['-bash: curl: (16) Error']);
    expect(p.bool('json')).toBe(true);
  });
});

describe('suggest', () => {
  test('typos, transpositions and prefixes; nothing for a far word', () => {
    expect(suggest('trcae', ['trace', 'check'])).toEqual(['trace']);
    expect(suggest('--verison', ['--version', '--verbose'])).toEqual(['--version']);
    expect(suggest('--insec', ['--insecure', '--json'])).toEqual(['--insecure']);
    expect(suggest('frobnicate', COMMANDS.map((c) => c.name))).toEqual([]);
    expect(distance('abc', 'acb')).toBe(1);
  });
});

describe('the command line as a whole', () => {
  test.each([
    ['version', /"version" is neither a command nor a URL; did you mean h2doctor --version\?/],
    ['frobnicate', /"frobnicate" is neither a command nor a URL; commands: diagnose, trace/],
    ['trac', /did you mean h2doctor trace\?/],
    ['chek', /did you mean h2doctor check\?/],
  ])('a bare word %s: exit 2, a suggestion, and no name lookup or connection', async (word, re) => {
    const lookup = vi.spyOn(dns.promises, 'lookup');
    const connect = vi.spyOn(net, 'connect');
    const io = fakeIO();
    expect(await runCli([word], io)).toBe(2);
    expect(io.err).toMatch(re);
    expect(io.err.trim().split('\n')).toHaveLength(1);
    expect(io.out).toBe('');
    expect(lookup).not.toHaveBeenCalled();
    expect(connect).not.toHaveBeenCalled();
  });
  test('diagnose refuses a bare word too, even after flags', async () => {
    const io = fakeIO();
    expect(await runCli(['--json', 'frobnicate'], io)).toBe(2);
    expect(io.err).toMatch(/neither a command nor a URL/);
  });
  test('help <command> prints that command\'s help; help <typo> suggests', async () => {
    for (const c of COMMANDS) {
      const io = fakeIO();
      expect(await runCli(['help', c.name], io)).toBe(0);
      expect(io.out).toContain(`Usage: h2doctor ${c.usage[0]!.split(' ')[0]}`);
      const io2 = fakeIO();
      expect(await runCli(c.name === 'diagnose' ? ['--help'] : [c.name, '--help'], io2)).toBe(0);
    }
    const io = fakeIO();
    expect(await runCli(['help', 'trace'], io)).toBe(0);
    expect(io.out).toMatch(/--http2-prior-knowledge/);
    expect(io.out).not.toMatch(/Commands:/);
    const bad = fakeIO();
    expect(await runCli(['help', 'tarce'], bad)).toBe(2);
    expect(bad.err).toMatch(/no command "tarce" \(did you mean trace\?\)/);
  });
  test('every command takes --help and --color, and every connecting command the whole connection group', () => {
    for (const c of COMMANDS) expect(c.flags.map((f) => f.name)).toContain('help');
    for (const name of ['diagnose', 'trace', 'init', 'explain']) {
      const names = commandSpec(name).flags.map((f) => f.name);
      for (const f of ['insecure', 'cert', 'key', 'pass', 'connect-to', 'ipv4', 'ipv6', 'user-agent', 'proxy', 'noproxy', 'cacert', 'capath', 'resolve']) expect(names, `${name} --${f}`).toContain(f);
    }
  });
  test('no command has two flags with one name or one short letter', () => {
    for (const c of COMMANDS) {
      const longs = c.flags.map((f) => f.name);
      const shorts = c.flags.flatMap((f) => (f.short ? [f.short] : []));
      expect(new Set(longs).size, c.name).toBe(longs.length);
      expect(new Set(shorts).size, c.name).toBe(shorts.length);
    }
    expect(FLAGS.insecure.short).toBe('k');
  });
  test('help is wrapped to the width it is given and breaks no word', () => {
    for (const width of [60, 80, 120]) {
      for (const c of COMMANDS) {
        const text = commandHelp(c, width);
        for (const line of text.split('\n')) expect(line.length, `${c.name} @${width}: ${line}`).toBeLessThanOrEqual(width);
      }
    }
  });
});
