/**
 * The report's certificate section: per address, the chain the default handshake was served, with
 * what its order shows. A pure function of the probes; it raises no finding (the certificate rules
 * do that from verification), it describes.
 *
 * @example
 *   certificateReports(report.probes)[0]?.order.inOrder; // true
 */
import type { CertificateInfo, CertificateReport, ChainProblem, Probe } from '../model/index.js';

type TlsProbe = Extract<Probe, { kind: 'tls' }>;

/**
 * One section per address whose default handshake completed.
 *
 * @example
 *   const [s] = certificateReports(probes);
 *   s?.chain.map((c) => c.subject); // ['CN=localhost', 'CN=intermediate']
 */
export function certificateReports(probes: readonly Probe[]): CertificateReport[] {
  const out: CertificateReport[] = [];
  for (const p of probes) {
    if (p.kind !== 'tls' || p.name !== 'tls-default' || p.tls.outcome !== 'handshake' || !p.tls.served) continue;
    out.push(sectionOf(p as TlsProbe));
  }
  return out;
}

function sectionOf(p: TlsProbe): CertificateReport {
  const served = p.tls.served!;
  const base = { address: p.address, probe: p.id, ...(p.tls.verify ? { verify: p.tls.verify } : {}) };
  if ('unavailable' in served) {
    return { ...base, unavailable: served.unavailable, chain: [], order: { inOrder: false, problems: [] }, rootSent: false, ocspStapling: { requested: true, stapled: p.tls.ocspStapled === true } };
  }
  const { problems, rootSent } = chainOrder(served.certificates);
  return { ...base, source: served.source, chain: served.certificates, order: { inOrder: problems.length === 0, problems }, rootSent, ocspStapling: served.ocsp };
}

/**
 * What the order of a served chain shows. RFC 8446 §4.4.2: the sender's certificate comes first and
 * each following one SHOULD directly certify the one before it (RFC 5246 §7.4.2: MUST); a root may
 * be left out. So: the path from the first certificate, following who signed whom, should be
 * positions 0, 1, 2, …, with nothing else sent.
 *
 * @example
 *   chainOrder([leaf, root, intermediate]).problems[0]?.kind; // 'out-of-order'
 */
export function chainOrder(chain: readonly CertificateInfo[]): { problems: ChainProblem[]; rootSent: boolean } {
  const problems: ChainProblem[] = [];
  if (chain.length === 0) return { problems, rootSent: false };
  const name = (c: CertificateInfo) => `${c.position} (${c.subject || c.fingerprint256.slice(0, 11)})`;
  const firstOf = new Map<string, number>();
  const dup = new Set<number>();
  for (const c of chain) {
    const seen = firstOf.get(c.fingerprint256);
    if (seen === undefined) firstOf.set(c.fingerprint256, c.position);
    else {
      dup.add(c.position);
      problems.push({ kind: 'duplicate', position: c.position, text: `certificate ${name(c)} is sent again (it is certificate ${seen} too)` });
    }
  }
  const first = chain[0]!;
  if (first.ca && chain.some((c) => !c.ca && !dup.has(c.position))) {
    const leaf = chain.find((c) => !c.ca)!;
    dup.add(leaf.position); // said once: not again as unrelated
    problems.push({ kind: 'leaf-not-first', position: leaf.position, text: `the server's own certificate ${name(leaf)} is not first: certificate ${name(first)} is a CA certificate` });
  }
  // The path from the first certificate, by signature.
  const path = [0];
  for (let at = first; at.issuedBy !== null && !at.selfSigned && !path.includes(at.issuedBy) && path.length <= chain.length; at = chain[at.issuedBy]!) {
    const next = at.issuedBy;
    if (next !== at.position + 1) {
      problems.push({ kind: 'out-of-order', position: next, text: `certificate ${name(at)} is certified by certificate ${name(chain[next]!)}, not by the one right after it` });
    }
    path.push(next);
  }
  for (const c of chain) {
    if (path.includes(c.position) || dup.has(c.position)) continue;
    problems.push({ kind: 'unrelated', position: c.position, text: `certificate ${name(c)} is not on the path from the server's certificate: it certifies none of the certificates before it` });
  }
  const last = chain[path[path.length - 1]!]!;
  return { problems, rootSent: last.selfSigned && last.position !== 0 };
}
