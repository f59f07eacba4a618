/**
 * A certificate chain larger than TLS clients accept. RFC 8446 §4.4.2 / RFC 5246 §7.4.2 allow a
 * Certificate message up to 2^24−1 bytes, but OpenSSL (curl, Node, Python, …) reads at most
 * max_cert_list, 102,400 bytes by default, and aborts with "excessive message size" past it. A raw
 * hello reads the message's header (TLS 1.3: decrypted) and so its announced length, once a
 * ServerHello came.
 */
import { evidenceItem } from '../../evidence.js';
import { item, tlsRule } from './common.js';

/**
 * OpenSSL's SSL_MAX_CERT_LIST_DEFAULT (ssl.h): the most bytes of a Certificate message its clients read.
 * @example raw.unfinished.length > OPENSSL_MAX_CERT_LIST // a chain curl and openssl give up on
 */
export const OPENSSL_MAX_CERT_LIST = 100 * 1024;

const size = (n: number) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${Math.round(n / 1024)} KiB`);

/**
 * A raw hello saw a Certificate message announcing more than OpenSSL's limit.
 * @example chainSizeRule(ev)[0]?.detail // '5785020 bytes (5.5 MiB)'
 */
export const chainSizeRule = tlsRule('cert-chain-too-large', ['cert-chain-too-large'], ({ d, raws }) => {
  // After a ServerHello only: a Certificate before it (an endless handshake stream) is no chain at all.
  const big = raws.find((r) => r.raw.version !== undefined && r.raw.unfinished?.type === 'certificate' && r.raw.unfinished.length > OPENSSL_MAX_CERT_LIST);
  if (!big) return [];
  const length = big.raw.unfinished!.length;
  const detail = `${length} bytes (${size(length)})`;
  const evidence = [item(big, `${big.purpose}: the server's ${big.raw.version ?? ''} Certificate message announces ${length} bytes, over OpenSSL's ${OPENSSL_MAX_CERT_LIST}`.replace('  ', ' '))];
  if (d.tls.error?.code === 'ERR_SSL_EXCESSIVE_MESSAGE_SIZE') evidence.push(evidenceItem(d.id, `Node's own handshake (OpenSSL) gave up on it: ${d.tls.error.code}`));
  return [{ code: 'cert-chain-too-large', detail, evidence }];
});
