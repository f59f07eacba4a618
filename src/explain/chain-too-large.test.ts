/**
 * What real clients printed against the hostile lab's 5.5 MiB certificate chain (recorded in
 * corpus/clients-hostile.json): each TLS stack's own limit on one handshake message (OpenSSL
 * "excessive message size", Go "handshake message of length … exceeds maximum of 65536 bytes", Java
 * "The size of the handshake message (…) exceeds the maximum allowed size (32768)", GnuTLS "The
 * handshake data size is too large."). explain named the server's aborting alert or a port that does
 * not speak TLS first; the cause is the chain's size, `cert-chain-too-large`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { explain } from './index.js';

const hostile = JSON.parse(readFileSync(new URL('../../corpus/clients-hostile.json', import.meta.url), 'utf8')) as { records: Array<{ client: string; expect: string[]; text: string }> };
const SIZE_LIMIT = /excessive message size|EXCESSIVE_MESSAGE_SIZE|handshake message of length \d+ bytes exceeds|size of the handshake message \(\d+\) exceeds|handshake data size is too large/;

describe('explain: a handshake message over the client\'s limit is the certificate chain', () => {
  const records = hostile.records.filter((r) => r.expect[0] === 'cert-chain-too-large' && SIZE_LIMIT.test(r.text));

  test('the recordings name the limit in several TLS stacks', () => {
    expect(new Set(records.map((r) => r.client)).size).toBeGreaterThanOrEqual(8);
  });

  test.each(records.map((r, i) => [`${r.client} #${i}`, r.text] as const))('%s: cert-chain-too-large first', (_id, text) => {
    expect(explain(text).causes[0]?.code).toBe('cert-chain-too-large');
  });
});
