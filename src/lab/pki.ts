/**
 * The lab PKI: a root CA, an intermediate CA and leaf certificates made at run time, so no private
 * key is ever committed. Lab servers use the presets below to reproduce certificate failures; the
 * client side trusts only `caPem` (the root), exactly what a user passes with `--cacert`.
 *
 * Keys are ECDSA P-256 (fast to make); RSA 2048 only where a scenario needs an RSA certificate
 * (RSA key-exchange cipher suites). The CA pair, and the one RSA key, are made once per process.
 *
 * @example
 *   const pki = await createLabPki();
 *   const leaf = await pki.preset('expired');
 *   tls.createServer({ cert: leaf.serverCertPem, key: leaf.keyPem });
 */
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type * as X509 from '@peculiar/x509';
import type { Code } from '../model/codes.js';
import { loadX509 } from './x509.js';

type KeyPair = webcrypto.CryptoKeyPair;

export type LabKeyType = 'ec' | 'rsa';
export type LabIssuer = 'intermediate' | 'root' | 'self';

export interface IssueOptions {
  /** DNS names and IP literals, all put in subjectAltName. Default: localhost, 127.0.0.1, ::1. */
  names?: string[];
  /** Default 'ec' (P-256). */
  keyType?: LabKeyType;
  /** Default: one hour ago. */
  notBefore?: Date;
  /** Default: 30 days from now. */
  notAfter?: Date;
  /** Who signs the leaf. Default 'intermediate'. */
  issuer?: LabIssuer;
  /** Subject common name. Default: the first name. */
  cn?: string;
}

export interface IssuedCert {
  /** The leaf alone. */
  certPem: string;
  /** The leaf's private key, PKCS#8 PEM. */
  keyPem: string;
  /** What a correctly configured server sends: leaf + intermediate (leaf alone when signed by the root or self). */
  chainPem: string;
  /** Leaf, every CA up to and including the root. */
  fullChainPem: string;
  /** The root certificate only: what `--cacert` (or `ca:` in node:tls) takes. */
  caPem: string;
}

export interface CaCert {
  certPem: string;
  /** Subject DN, e.g. "CN=h2doctor lab root CA, O=h2doctor lab". */
  subject: string;
}

/**
 * Preset leaf certificates used by lab scenarios, as a registry: how to issue it, what the server
 * sends, and what a Node client verifying against `caPem` reports for it.
 */
export const LAB_CERT_PRESETS = {
  valid: { issue: {}, send: 'chain', nodeError: null, findingCode: null },
  expired: { issue: { expired: true }, send: 'chain', nodeError: 'CERT_HAS_EXPIRED', findingCode: 'cert-expired' },
  notYetValid: { issue: { notYetValid: true }, send: 'chain', nodeError: 'CERT_NOT_YET_VALID', findingCode: 'cert-not-yet-valid' },
  selfSigned: { issue: { issuer: 'self' }, send: 'chain', nodeError: 'DEPTH_ZERO_SELF_SIGNED_CERT', findingCode: 'cert-untrusted' },
  wrongHost: { issue: { names: ['other.example'] }, send: 'chain', nodeError: 'ERR_TLS_CERT_ALTNAME_INVALID', findingCode: 'cert-hostname-mismatch' },
  missingIntermediate: { issue: {}, send: 'leaf', nodeError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', findingCode: 'cert-chain-incomplete' },
  rsa: { issue: { keyType: 'rsa' }, send: 'chain', nodeError: null, findingCode: null },
} as const satisfies Record<
  string,
  {
    issue: { expired?: boolean; notYetValid?: boolean; issuer?: LabIssuer; names?: readonly string[]; keyType?: LabKeyType };
    send: 'chain' | 'leaf';
    nodeError: string | null;
    findingCode: Code | null;
  }
>;

export type LabCertPreset = keyof typeof LAB_CERT_PRESETS;

export interface LabServerCert extends IssuedCert {
  preset: LabCertPreset;
  /** The PEM a server presents as `cert`: `chainPem`, or the leaf alone for `missingIntermediate`. */
  serverCertPem: string;
}

export interface LabPki {
  rootCa: CaCert;
  intermediateCa: CaCert;
  issue(opts?: IssueOptions): Promise<IssuedCert>;
  preset(name: LabCertPreset): Promise<LabServerCert>;
}

export interface CreateLabPkiOptions {
  /** Make a new root and intermediate instead of the process-wide cached pair (tests of the cache). */
  fresh?: boolean;
}

export const DEFAULT_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

const DAY_MS = 86_400_000;
const EC_GEN: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const EC_SIGN: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const RSA_GEN: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

interface CaState {
  keys: KeyPair;
  cert: X509.X509Certificate;
  pem: string;
}

interface CaPair {
  root: CaState;
  intermediate: CaState;
}

let cachedCa: Promise<CaPair> | undefined;
let cachedRsaKeys: Promise<KeyPair> | undefined;

/**
 * The lab PKI: root → intermediate → leaf, like a public CA. The CA pair is cached for the process.
 *
 * @example
 *   const pki = await createLabPki();
 *   const { chainPem, keyPem, caPem } = await pki.issue({ names: ['localhost'] });
 */
export async function createLabPki(opts: CreateLabPkiOptions = {}): Promise<LabPki> {
  let ca: Promise<CaPair>;
  if (opts.fresh) {
    ca = makeCaPair();
  } else {
    cachedCa ??= makeCaPair();
    ca = cachedCa;
  }
  let pair: CaPair;
  try {
    pair = await ca;
  } catch (err) {
    if (!opts.fresh) cachedCa = undefined;
    throw err;
  }
  const issue = (o: IssueOptions = {}): Promise<IssuedCert> => issueLeaf(pair, o);
  return {
    rootCa: { certPem: pair.root.pem, subject: pair.root.cert.subject },
    intermediateCa: { certPem: pair.intermediate.pem, subject: pair.intermediate.cert.subject },
    issue,
    preset: (name) => issuePreset(issue, name),
  };
}

/**
 * Writes the root (`ca.pem`, for `--cacert`) and the intermediate (`intermediate.pem`) into `dir`,
 * creating it. No private key is written.
 *
 * @example
 *   const { caFile } = await writeLabPki('/tmp/h2doctor-lab'); // '/tmp/h2doctor-lab/ca.pem'
 */
export async function writeLabPki(
  dir: string,
  pki?: LabPki,
): Promise<{ dir: string; caFile: string; intermediateFile: string }> {
  const p = pki ?? (await createLabPki());
  await mkdir(dir, { recursive: true });
  const caFile = join(dir, 'ca.pem');
  const intermediateFile = join(dir, 'intermediate.pem');
  await writeFile(caFile, p.rootCa.certPem);
  await writeFile(intermediateFile, p.intermediateCa.certPem);
  return { dir, caFile, intermediateFile };
}

async function issuePreset(issue: (o: IssueOptions) => Promise<IssuedCert>, name: LabCertPreset): Promise<LabServerCert> {
  const def = LAB_CERT_PRESETS[name];
  const spec: LabCertPresetIssue = def.issue;
  const now = Date.now();
  const o: IssueOptions = {};
  if (spec.expired) {
    o.notBefore = new Date(now - 30 * DAY_MS);
    o.notAfter = new Date(now - DAY_MS);
  }
  if (spec.notYetValid) {
    o.notBefore = new Date(now + DAY_MS);
    o.notAfter = new Date(now + 30 * DAY_MS);
  }
  if (spec.issuer) o.issuer = spec.issuer;
  if (spec.names) o.names = [...spec.names];
  if (spec.keyType) o.keyType = spec.keyType;
  const cert = await issue(o);
  return { ...cert, preset: name, serverCertPem: def.send === 'leaf' ? cert.certPem : cert.chainPem };
}

type LabCertPresetIssue = {
  expired?: boolean;
  notYetValid?: boolean;
  issuer?: LabIssuer;
  names?: readonly string[];
  keyType?: LabKeyType;
};

/** RFC 5280 §4.2.1.9, §4.2.1.3, §4.2.1.2: a CA with this path length, signing certificates and CRLs, and its key identifier. */
async function caExtensions(x509: typeof X509, pathLength: number, keys: KeyPair): Promise<X509.Extension[]> {
  return [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as PublicKeyLike),
  ];
}

async function makeCaPair(): Promise<CaPair> {
  const x509 = await loadX509();
  const now = Date.now();
  const notBefore = new Date(now - 365 * DAY_MS);
  const [rootKeys, interKeys] = await Promise.all([genKeys('ec'), genKeys('ec')]);

  const rootName = 'CN=h2doctor lab root CA, O=h2doctor lab';
  const rootCert = await x509.X509CertificateGenerator.createSelfSigned({
    name: rootName,
    keys: rootKeys as unknown as CryptoKeyPairLike,
    notBefore,
    notAfter: new Date(now + 10 * 365 * DAY_MS),
    signingAlgorithm: EC_SIGN,
    extensions: await caExtensions(x509, 1, rootKeys),
  });

  const interCert = await x509.X509CertificateGenerator.create({
    subject: 'CN=h2doctor lab intermediate CA, O=h2doctor lab',
    issuer: rootCert.subject,
    publicKey: interKeys.publicKey as unknown as PublicKeyLike,
    signingKey: rootKeys.privateKey as unknown as SigningKeyLike,
    notBefore,
    notAfter: new Date(now + 5 * 365 * DAY_MS),
    signingAlgorithm: EC_SIGN,
    extensions: [
      ...(await caExtensions(x509, 0, interKeys)),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey as unknown as PublicKeyLike),
    ],
  });

  return {
    root: { keys: rootKeys, cert: rootCert, pem: pem(rootCert) },
    intermediate: { keys: interKeys, cert: interCert, pem: pem(interCert) },
  };
}

async function issueLeaf(ca: CaPair, o: IssueOptions): Promise<IssuedCert> {
  const x509 = await loadX509();
  const names = o.names && o.names.length > 0 ? o.names : [...DEFAULT_NAMES];
  const keyType = o.keyType ?? 'ec';
  const issuer = o.issuer ?? 'intermediate';
  const now = Date.now();
  const notBefore = o.notBefore ?? new Date(now - 3_600_000);
  const notAfter = o.notAfter ?? new Date(now + 30 * DAY_MS);
  const cn = o.cn ?? names[0] ?? 'h2doctor lab leaf';
  const keys = await genKeys(keyType);

  let usages = x509.KeyUsageFlags.digitalSignature;
  // RSA key exchange (TLS 1.2 `TLS_RSA_*` suites) encrypts the premaster secret to the leaf key.
  if (keyType === 'rsa') usages |= x509.KeyUsageFlags.keyEncipherment;
  // OpenSSL treats a certificate as self-signed only when its key usage allows keyCertSign;
  // without it a self-signed leaf reports "unable to verify" instead of DEPTH_ZERO_SELF_SIGNED_CERT.
  if (issuer === 'self') usages |= x509.KeyUsageFlags.keyCertSign;
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(
      names.map((n) => (isIP(stripBrackets(n)) ? { type: 'ip' as const, value: stripBrackets(n) } : { type: 'dns' as const, value: n })),
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as PublicKeyLike),
  ];
  const subject: X509.JsonName = [{ CN: [cn] }, { O: ['h2doctor lab'] }];

  let leaf: X509.X509Certificate;
  let chain: CaState[];
  if (issuer === 'self') {
    leaf = await x509.X509CertificateGenerator.createSelfSigned({
      name: subject,
      keys: keys as unknown as CryptoKeyPairLike,
      notBefore,
      notAfter,
      signingAlgorithm: signParams(keyType),
      extensions,
    });
    chain = [];
  } else {
    const signer = issuer === 'root' ? ca.root : ca.intermediate;
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(signer.keys.publicKey as unknown as PublicKeyLike));
    leaf = await x509.X509CertificateGenerator.create({
      subject,
      issuer: signer.cert.subject,
      publicKey: keys.publicKey as unknown as PublicKeyLike,
      signingKey: signer.keys.privateKey as unknown as SigningKeyLike,
      notBefore,
      notAfter,
      signingAlgorithm: EC_SIGN,
      extensions,
    });
    chain = issuer === 'root' ? [] : [ca.intermediate];
  }

  const certPem = pem(leaf);
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n';
  const chainPem = certPem + chain.map((c) => c.pem).join('');
  const fullChainPem = issuer === 'self' ? certPem : chainPem + ca.root.pem;
  return { certPem, keyPem, chainPem, fullChainPem, caPem: ca.root.pem };
}

function genKeys(type: LabKeyType): Promise<KeyPair> {
  if (type === 'ec') return webcrypto.subtle.generateKey(EC_GEN, true, ['sign', 'verify']) as Promise<KeyPair>;
  // One RSA key per process: 2048-bit generation costs far more than everything else here.
  cachedRsaKeys ??= webcrypto.subtle.generateKey(RSA_GEN, true, ['sign', 'verify']) as Promise<KeyPair>;
  return cachedRsaKeys;
}

function signParams(type: LabKeyType): webcrypto.Algorithm | webcrypto.EcdsaParams {
  return type === 'rsa' ? { name: 'RSASSA-PKCS1-v1_5' } : EC_SIGN;
}

function stripBrackets(name: string): string {
  return name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}

function pem(cert: X509.X509Certificate): string {
  return cert.toString('pem').trim() + '\n';
}

// The library's types name DOM crypto types; Node's webcrypto objects are the same at run time.
type CryptoKeyPairLike = X509.X509CertificateCreateSelfSignedParams['keys'];
type PublicKeyLike = X509.X509CertificateCreateWithKeyParams['publicKey'];
type SigningKeyLike = X509.X509CertificateCreateWithKeyParams['signingKey'];
