/**
 * certBrief: the short look at a certificate every raw hello takes, parsed once per host and DER (a
 * survey reads the same certificate in every TLS 1.2 hello), each answer a copy of its own.
 */
import { describe, expect, test } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { createLabPki } from '../../lab/pki.js';
import { certBrief } from './raw.js';

describe('certBrief', () => {
  test('the same answer for the same certificate and host, as a copy; another host is judged anew', async () => {
    const pki = await createLabPki();
    const c = await pki.preset('valid');
    const der = new Uint8Array(new X509Certificate(c.chainPem).raw);
    const a = certBrief(der, 'localhost')!;
    const b = certBrief(der, 'localhost')!;
    expect(a.coversHost).toBe(true);
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    b.altNames.push('changed');
    expect(certBrief(der, 'localhost')!.altNames).toEqual(a.altNames);
    expect(certBrief(der, 'other.example')!.coversHost).toBe(false);
    expect(certBrief(new Uint8Array([1, 2, 3]), 'localhost')).toBeUndefined();
    expect(certBrief(new Uint8Array([1, 2, 3]), 'localhost')).toBeUndefined();
  });
});
