import { describe, expect, test } from 'vitest';
import type { CertificateInfo } from '../model/index.js';
import { chainOrder } from './certificates.js';

const c = (position: number, o: Partial<CertificateInfo>): CertificateInfo => ({
  position,
  subject: `CN=c${position}`,
  issuer: '',
  serialNumber: String(position),
  notBefore: '',
  notAfter: '',
  subjectAltNames: [],
  publicKey: { type: 'EC', bits: 256, curve: 'prime256v1' },
  signatureAlgorithm: 'ecdsa-with-SHA256',
  signatureAlgorithmOid: '1.2.840.10045.4.3.2',
  fingerprint256: `F${position}`,
  ca: position > 0,
  selfSigned: false,
  issuedBy: null,
  ...o,
});

describe('chainOrder', () => {
  test('leaf, intermediate: in order; with the root after it: in order, root sent', () => {
    expect(chainOrder([c(0, { issuedBy: 1 }), c(1, {})])).toEqual({ problems: [], rootSent: false });
    expect(chainOrder([c(0, { issuedBy: 1 }), c(1, { issuedBy: 2 }), c(2, { selfSigned: true })])).toEqual({ problems: [], rootSent: true });
  });

  test('a self-signed leaf alone is in order and is no root sent', () => {
    expect(chainOrder([c(0, { selfSigned: true, ca: false })])).toEqual({ problems: [], rootSent: false });
  });

  test('intermediate before the leaf: leaf-not-first, said once', () => {
    const r = chainOrder([c(0, { ca: true }), c(1, { ca: false, issuedBy: 0 })]);
    expect(r.problems.map((p) => [p.kind, p.position])).toEqual([['leaf-not-first', 1]]);
  });

  test('a duplicate, and a certificate that certifies nothing before it', () => {
    const r = chainOrder([c(0, { issuedBy: 1 }), c(1, {}), c(2, { fingerprint256: 'F1' }), c(3, { subject: 'CN=other' })]);
    expect(r.problems.map((p) => [p.kind, p.position])).toEqual([['duplicate', 2], ['unrelated', 3]]);
    expect(r.problems[1]!.text).toMatch(/certificate 3 \(CN=other\) is not on the path/);
  });

  test('a loop of issuers ends (bounded)', () => {
    const r = chainOrder([c(0, { issuedBy: 1 }), c(1, { issuedBy: 2 }), c(2, { issuedBy: 1 })]);
    expect(r.problems).toEqual([]);
  });
});
