import { describe, expect, test } from 'vitest';
import { explainCommand } from '../cli/commands/explain.js';
import { EXIT, type CliIO } from '../cli/io.js';
import { UsageError } from '../model/errors.js';
import type { ConfirmFn } from './index.js';

function fakeIO(opts: { stdin?: string; tty?: boolean; color?: boolean } = {}): CliIO & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readStdin: async () => opts.stdin ?? '',
    stdinIsTTY: opts.tty ?? opts.stdin === undefined,
    color: opts.color ?? false,
    env: {},
    cwd: '/',
  };
  return io;
}

describe('h2doctor explain', () => {
  test('text argument: human output with confidence, causes, tell-apart and next command', async () => {
    const io = fakeIO();
    const code = await explainCommand(['curl: (16) Error in the HTTP2 framing layer'], io);
    expect(code).toBe(EXIT.ok);
    expect(io.out).toContain('1. curl-http2-framing-layer');
    expect(io.out).toMatch(/confidence \d+%/);
    expect(io.out).toContain('• preface-http1-response — ');
    expect(io.out).toContain('Tell apart:');
    expect(io.out).toContain('Next: h2doctor https://HOST');
    expect(io.out).not.toContain('\x1b[');
    expect(io.err).toBe('');
  });

  test('several words are joined into one text; the URL in the text becomes the next command', async () => {
    const io = fakeIO();
    await explainCommand(['Get', '"https://api.example.com/x":', 'http2: frame too large'], io);
    expect(io.out).toContain('go-http2-frame-too-large');
    expect(io.out).toContain('Next: h2doctor https://api.example.com');
  });

  test('reads stdin when no text argument is given', async () => {
    const io = fakeIO({ stdin: 'log line 1\nio.grpc.StatusRuntimeException: UNAVAILABLE: Failed ALPN negotiation: Unable to find compatible protocol\n', tty: false });
    expect(await explainCommand([], io)).toBe(EXIT.ok);
    expect(io.out).toContain('grpc-java-alpn-failed');
  });

  test('--json has the stable shape, best match first, causes most likely first', async () => {
    const io = fakeIO();
    await explainCommand(['--json', 'First received frame was not SETTINGS. Hex dump for first 5 bytes: 1503010002'], io);
    const j = JSON.parse(io.out) as { matches: Array<{ id: string; confidence: number; family: string; meaning: string; causes: Array<{ code: string; why: string }> }>; next: string };
    expect(j.matches[0]).toMatchObject({ id: 'netty-first-frame-not-settings', family: 'protocol', meaning: expect.any(String) });
    expect(j.matches[0]!.confidence).toBeGreaterThan(0.5);
    expect(j.matches[0]!.causes[0]).toMatchObject({ code: 'scheme-http-on-tls-port', why: expect.any(String) });
    expect(j.next).toBe('h2doctor https://HOST');
  });

  test('unknown text: exit 0, a plain "no match" and a diagnose suggestion', async () => {
    const io = fakeIO();
    expect(await explainCommand(['everything is fine'], io)).toBe(EXIT.ok);
    expect(io.out).toContain('No known HTTP/2, TLS or connection error matched');
    expect(io.out).toContain('h2doctor https://HOST');
    const j = fakeIO();
    await explainCommand(['--json', 'everything is fine'], j);
    expect(JSON.parse(j.out).matches).toEqual([]);
  });

  test('bad usage: unknown flag, missing --url value, bad URL, no text on a terminal, empty stdin', async () => {
    await expect(explainCommand(['--frobnicate', 'x'], fakeIO())).rejects.toBeInstanceOf(UsageError);
    await expect(explainCommand(['x', '--url'], fakeIO())).rejects.toThrow(/--url needs a value/);
    await expect(explainCommand(['x', '--url', 'ftp://a'], fakeIO())).rejects.toThrow(/http/);
    await expect(explainCommand(['x', '--url', 'not a url'], fakeIO())).rejects.toBeInstanceOf(UsageError);
    await expect(explainCommand([], fakeIO({ tty: true }))).rejects.toThrow(/needs the error text/);
    await expect(explainCommand([], fakeIO({ stdin: '  \n', tty: false }))).rejects.toThrow(/empty/);
  });

  test('-- ends options, so text starting with a dash can be explained', async () => {
    const io = fakeIO();
    expect(await explainCommand(['--', '--json'], io)).toBe(EXIT.ok);
    expect(io.out).toContain('No known');
  });

  test('-h prints help', async () => {
    const io = fakeIO();
    expect(await explainCommand(['-h'], io)).toBe(EXIT.ok);
    expect(io.out).toContain('Usage: h2doctor explain');
  });

  test('--url without a diagnose engine: says so and exits 2', async () => {
    const io = fakeIO();
    expect(await explainCommand(['PROTOCOL_ERROR', '--url', 'https://a.example'], io)).toBe(EXIT.usage);
    expect(io.err).toMatch(/not available in this build/);
    expect(io.out).toBe('');
  });

  test('--url with a confirm hook: marks the confirmed candidate', async () => {
    const seen: string[] = [];
    const confirm: ConfirmFn = async (url, opts) => {
      seen.push(url);
      expect(opts.candidates).toContain('preface-http1-response');
      return { codes: ['preface-http1-response'] };
    };
    const io = fakeIO();
    expect(await explainCommand(['curl: (16) Error in the HTTP2 framing layer', '--url=https://a.example'], io, { confirm })).toBe(EXIT.ok);
    expect(seen).toEqual(['https://a.example']);
    expect(io.out).toContain('preface-http1-response ✔ confirmed');
    expect(io.out).toContain('Diagnosis of https://a.example: confirmed preface-http1-response');
    const j = fakeIO();
    await explainCommand(['--json', '--url', 'https://a.example', 'curl: (16) Error in the HTTP2 framing layer'], j, { confirm });
    expect(JSON.parse(j.out).confirmation).toMatchObject({ confirmed: ['preface-http1-response'], none: false });
  });

  test('--url with a confirm hook that finds none of the candidates', async () => {
    const io = fakeIO();
    await explainCommand(['curl: (16) Error in the HTTP2 framing layer', '--url', 'https://a.example'], io, { confirm: async () => ({ codes: ['cert-expired'] }) });
    expect(io.out).toContain('none of the candidate causes was confirmed');
    expect(io.out).toContain('It found instead: cert-expired');
  });

  test('a failing diagnosis is reported on stderr with exit 1', async () => {
    const io = fakeIO();
    const code = await explainCommand(['PROTOCOL_ERROR', '--url', 'https://a.example'], io, {
      confirm: async () => {
        throw new Error('boom');
      },
    });
    expect(code).toBe(EXIT.fail);
    expect(io.err).toContain('boom');
  });

  test('colour only when allowed', async () => {
    const io = fakeIO({ color: true });
    await explainCommand(['PROTOCOL_ERROR'], io);
    expect(io.out).toContain('\x1b[1m');
  });
});
