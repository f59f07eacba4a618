import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bashCompletion, fishCompletion, manPage, zshCompletion } from './completion.js';
import { COMMANDS } from './registry.js';
import { runCli } from './run.js';
import type { CliIO } from './io.js';

const dir = mkdtempSync(join(tmpdir(), 'h2d-completion-'));
const script = join(dir, 'h2doctor.bash');
writeFileSync(script, bashCompletion());

/** What bash's completion offers for the words typed so far (the last one is being completed). */
function complete(...words: string[]): string[] {
  const arr = ['h2doctor', ...words].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `source '${script}'; COMP_WORDS=(${arr}); COMP_CWORD=${words.length}; cd '${dir}'; _h2doctor; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

describe('bash completion (run by bash itself)', () => {
  test('commands complete at the first word', () => {
    expect(complete('tr')).toEqual(['trace']);
    expect(complete('')).toEqual(expect.arrayContaining(COMMANDS.map((c) => c.name)));
    expect(complete('help', 'ch')).toEqual(['check']);
  });
  test('flags complete per command; the default command is diagnose', () => {
    expect(complete('--insec')).toEqual(['--insecure']);
    expect(complete('https://x', '--conn')).toEqual(['--connect-to']);
    expect(complete('trace', '--ke').sort()).toEqual(['--key', '--keylog']);
    expect(complete('trace', '--pc')).toEqual(['--pcap']);
    expect(complete('check', '--ju')).toEqual(['--junit']);
    expect(complete('check', '--keylo')).toEqual([]);
    for (const c of COMMANDS) {
      const offered = complete(c.name, '--');
      const declared = c.flags.filter((f) => !f.hidden).map((f) => `--${f.name}`);
      expect(offered.sort(), c.name).toEqual(declared.sort());
    }
  });
  test('flag values: --color offers its choices, file flags offer files', () => {
    expect(complete('--color', '').sort()).toEqual(['always', 'auto', 'never']);
    expect(complete('--color=al')).toEqual(['--color=always']);
    writeFileSync(join(dir, 'client-cert.pem'), 'x');
    expect(complete('--cert', 'client-')).toEqual(['client-cert.pem']);
    expect(complete('--timeout', '')).toEqual([]);
  });
});

describe('the other scripts and the command', () => {
  test('zsh and fish scripts name every command and flag; completion refuses an unknown shell', async () => {
    const z = zshCompletion();
    const f = fishCompletion();
    for (const c of COMMANDS) {
      expect(z).toContain(`'${c.name}:`);
      expect(f).toContain(`-a ${c.name} `);
    }
    expect(z).toContain('--insecure');
    expect(f).toContain('-l insecure -s k');
    for (const [shell, tool] of [['zsh', 'zsh'], ['fish', 'fish']] as const) {
      if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) continue;
      const file = join(dir, `h2doctor.${shell}`);
      writeFileSync(file, shell === 'zsh' ? z : f);
      expect(spawnSync(tool, ['-n', file], { encoding: 'utf8' }).status, `${tool} -n`).toBe(0);
    }
    let out = '';
    let err = '';
    const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t), readStdin: async () => '', stdinIsTTY: true, color: false, env: {}, cwd: '/' };
    expect(await runCli(['completion', 'bash'], io)).toBe(0);
    expect(out).toBe(bashCompletion());
    expect(await runCli(['completion', 'tcsh'], io)).toBe(2);
    expect(err).toMatch(/no script for "tcsh"/);
  });
});

const HAVE_MAN = spawnSync('sh', ['-c', 'command -v man']).status === 0;

describe('the man page', () => {
  const file = new URL('../../docs/h2doctor.1', import.meta.url).pathname;
  test('docs/h2doctor.1 is the page the definitions make (regenerate: npm run man)', () => {
    expect(readFileSync(file, 'utf8')).toBe(manPage());
  });
  // test/setup/command-line.sh installs man-db; under CI a missing man fails.
  test.skipIf(!HAVE_MAN && process.env.CI !== 'true')('man renders it without a warning, with every command and flag', () => {
    const r = spawnSync('man', ['-l', '--warnings', file], { encoding: 'utf8', env: { ...process.env, MANWIDTH: '80', MANPAGER: 'cat', PAGER: 'cat' } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const text = r.stdout.replace(/.\x08/g, '').replace(/[ \t]+/g, ' ').replace(/‐\n\s*/g, '');
    expect(text).toMatch(/^NAME\s+h2doctor - why does HTTP\/2 fail here/m);
    for (const c of COMMANDS) expect(text).toContain(`h2doctor ${c.usage[0]!.split(' ')[0]}`);
    expect(text).toContain('-k, --insecure');
    expect(text).toContain('--connect-to');
    expect(text).toMatch(/EXIT STATUS/);
  });
});
