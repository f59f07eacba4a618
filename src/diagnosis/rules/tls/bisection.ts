/**
 * What the bisection of a refused default handshake proves (probes/tls/plan.ts `bisect`): one reading
 * of the raw hellos, in the order of precedence, so that each cause's rule takes its own part of it
 * and `tls-handshake-alert` stands only when no more specific cause was proven:
 * 1. unrecognized_name (112) to the name sent: `tls-sni-unknown-name`, and nothing else;
 * 2. Node's hello accepted raw with a CertificateRequest: `tls-client-cert-required`, and nothing else;
 * 3. the widest hello accepted, Node's refused: the version it chose, then each narrowing refused
 *    (versions, suites, groups, signature algorithms, ALPN);
 * 4. the widest refused too: without SNI accepted (the name; with handshake_failure (40) the name's
 *    own settings, which accept no suite: `tls-no-shared-cipher`), or SSL 3.0 accepted (the version);
 * 5. every hello refused with handshake_failure: no cipher suite at all;
 * 6. otherwise, an alert: `tls-handshake-alert` with what was tried.
 */
import type { EvidenceItem } from '../../../model/index.js';
import type { Code } from '../../../model/codes.js';
import type { BisectHelloLabel } from '../../../model/tls-probes.js';
import type { RawFinding } from '../../raw.js';
import { evidenceItem } from '../../evidence.js';
import { accepted, handshakeRefused, item, rawAnswer, rawOffer, refused, type By, type Raw, type TlsEvidence, type TlsProbe } from './common.js';

function defaultRefusal(d: TlsProbe): string {
  const t = d.tls;
  const what = t.outcome === 'alert' ? `a ${t.alert!.level} alert ${t.alert!.name} (${t.alert!.code})` : t.outcome === 'reset' ? 'a reset' : 'a close without an alert';
  return `Node's ClientHello (TLS 1.2–1.3, ALPN ${t.offeredAlpn.join(',')}${t.sni ? `, SNI ${t.sni}` : ', no SNI'}) was answered with ${what}`;
}

/**
 * The findings the bisection proves, in order (empty when the default handshake was not refused).
 * Each cause's rule keeps the findings of its own code.
 * @example bisectionFindings(c).map((f) => f.code) // ['tls-no-shared-cipher']
 */
export function bisectionFindings(c: TlsEvidence): RawFinding[] {
  if (!handshakeRefused(c)) return [];
  const { d, by } = c;
  const t = d.tls;
  const head = evidenceItem(d.id, defaultRefusal(d), d.first);
  const mirror = by('mirror');
  const widest = by('widest');
  const found: RawFinding[] = [];

  // RFC 6066 §3: unrecognized_name (112) is the server saying it has no virtual host for the name
  // sent (nginx `ssl_reject_handshake on` in the default server, HAProxy `strict-sni`). A name
  // refused this way is the cause whatever the other parameters were.
  const sni112 = unknownNameRefusal(d, head, by);
  if (sni112) return [sni112];

  if (accepted(mirror)) {
    if (mirror.raw.certificateRequest) {
      return [{ code: 'tls-client-cert-required', detail: t.alert ? `${t.alert.name} (${t.alert.code})` : t.outcome, evidence: [head, item(mirror, `the same hello sent raw: the server answered ${rawAnswer(mirror.raw)}: it asks for a client certificate, and aborts when none comes`)] }];
    }
  } else if (accepted(widest) && refused(mirror)) {
    found.push(...narrowed(d, head, mirror!, widest, by));
  } else if (refused(widest)) {
    found.push(...widestRefused(d, head, widest!, by));
  }
  // Every hello refused with handshake_failure, the widest too (all versions, every suite, group and
  // signature scheme, with and without SNI): the server can select no cipher suite at all. The usual
  // server mistake is a certificate whose key type fits none of its enabled suites (an ECDSA key
  // with only ECDHE-RSA-* suites, or the reverse) on a server without TLS 1.3.
  if (!found.length && t.alert?.code === 40) {
    const all = [mirror, widest, by('widest-no-sni')];
    if (all.every((p) => p?.raw.outcome === 'alert' && p.raw.alert?.code === 40)) {
      const w = widest!;
      found.push({
        code: 'tls-no-shared-cipher',
        detail: 'the server accepts no cipher suite at all',
        evidence: [
          head,
          item(w, `the widest hello (${rawOffer(w.raw)}) is refused too: ${rawAnswer(w.raw)}`),
          item(by('widest-no-sni')!, `the same without SNI: ${rawAnswer(by('widest-no-sni')!.raw)}: no name, version, group or signature scheme makes a difference`),
        ],
      });
    }
  }
  if (!found.length && t.outcome === 'alert') {
    const tried = [mirror, widest, by('widest-no-sni'), by('sslv3')].filter((p): p is Raw => !!p);
    const note = accepted(mirror) ? ' (the same hello sent raw is accepted: the refusal comes later in the handshake)' : tried.length ? '; no single parameter explains it' : '';
    found.push({
      code: 'tls-handshake-alert',
      detail: `${t.alert!.name} (${t.alert!.code})`,
      evidence: [{ ...head, text: head.text + note }, ...tried.map((p) => item(p))],
    });
  }
  return found;
}

/** The widest hello accepted, Node's refused: the version the widest got, then each narrowing to Node's value that is refused. */
function narrowed(d: TlsProbe, head: EvidenceItem, mirror: Raw, widest: Raw, by: By): RawFinding[] {
  const t = d.tls;
  const found: RawFinding[] = [];
  const w = widest.raw;
  if ((w.versionCode ?? 0) < 0x0303) {
    found.push({ code: 'tls-version-too-old', detail: w.version, evidence: [head, item(mirror), item(widest, `offered TLS 1.0–1.3: the server chose ${w.version} (${w.cipher}); a server picks the highest version it has, so it has nothing newer`)] });
  }
  const narrow: Array<[BisectHelloLabel, Code, string]> = [
    ['narrow-version', 'tls-version-too-old', 'versions'],
    ['narrow-cipher', 'tls-no-shared-cipher', 'cipher suites'],
    ['narrow-group', 'tls-no-shared-group', 'groups'],
    ['narrow-sigalg', 'tls-handshake-alert', 'signature algorithms'],
    ['narrow-alpn', 'tls-handshake-alert', 'ALPN list'],
  ];
  for (const [label, code, what] of narrow) {
    const p = by(label);
    if (!refused(p) || found.some((f) => f.code === code && code !== 'tls-handshake-alert')) continue;
    const detail =
      code === 'tls-no-shared-cipher'
        ? `the server accepts ${w.cipher}${w.version ? ` (${w.version})` : ''}, which Node does not offer`
        : code === 'tls-no-shared-group'
          ? `the server wants ${w.group ?? 'a group'} Node does not offer`
          : code === 'tls-version-too-old'
            ? `${w.version}`
            : `${t.alert ? `${t.alert.name} (${t.alert.code})` : t.outcome}, caused by the client's ${what}`;
    found.push({
      code,
      detail,
      evidence: [head, item(widest, `the widest hello (${rawOffer(w)}) is accepted: ${rawAnswer(w)}`), item(p!, `the same hello with only Node's ${what} is refused: ${rawAnswer(p!.raw)}`)],
    });
  }
  return found;
}

/** The widest hello refused too: the name (accepted without SNI), or SSL 3.0 only. */
function widestRefused(d: TlsProbe, head: EvidenceItem, widest: Raw, by: By): RawFinding[] {
  const t = d.tls;
  const found: RawFinding[] = [];
  const noSni = by('widest-no-sni');
  const ssl3 = by('sslv3');
  if (accepted(noSni) && t.alert?.code === 40 && widest.raw.alert?.code === 40) {
    // handshake_failure (40) for the name, every parameter offered, while the same hello without
    // SNI is accepted: the server knows the name (an unknown one gets the default, or 112) and
    // applies its own TLS settings to it, under which nothing is acceptable: Caddy's per-site
    // `tls { ciphers … }` naming only RSA suites for an ECDSA certificate does this.
    found.push({
      code: 'tls-no-shared-cipher',
      detail: `the server accepts no cipher suite at all for ${t.sni}; without SNI its default accepts (${rawAnswer(noSni.raw)})`,
      evidence: [head, item(widest, `the widest hello with SNI ${t.sni} (${rawOffer(widest.raw)}) is refused too: ${rawAnswer(widest.raw)}`), item(noSni, `the same hello without SNI is accepted: ${rawAnswer(noSni.raw)}`)],
    });
  } else if (accepted(noSni)) {
    found.push({
      code: 'tls-sni-unknown-name',
      detail: `${t.sni}${t.alert ? `: ${t.alert.name} (${t.alert.code})` : ''}`,
      evidence: [head, item(widest, `the widest hello with SNI ${t.sni} is refused too: ${rawAnswer(widest.raw)}`), item(noSni, `the same hello without SNI is accepted: ${rawAnswer(noSni.raw)}`)],
      ...(noSni.raw.cert ? { facts: { names: noSni.raw.cert.altNames } } : {}),
    });
  } else if (accepted(ssl3)) {
    found.push({ code: 'tls-version-too-old', detail: 'SSLv3', evidence: [head, item(widest), item(ssl3, `an SSL 3.0 hello is accepted: ${rawAnswer(ssl3.raw)}`)] });
  }
  return found;
}

/** A fatal unrecognized_name (112) to the name sent, and to no name too when the server was tried without SNI. */
function unknownNameRefusal(d: TlsProbe, head: EvidenceItem, by: By): RawFinding | undefined {
  const t = d.tls;
  const is112 = (a: { code: number } | undefined) => a?.code === 112;
  const widest = by('widest');
  const noSni = by('widest-no-sni');
  const mirror = by('mirror');
  if (!is112(t.alert) && !is112(mirror?.raw.alert) && !is112(widest?.raw.alert)) return undefined;
  const evidence: EvidenceItem[] = [head];
  for (const p of [mirror, widest]) if (p && p.raw.outcome === 'alert') evidence.push(item(p));
  let detail = `${t.sni ?? '(no SNI)'} refused with unrecognized_name (112)`;
  if (noSni) {
    if (is112(noSni.raw.alert)) {
      detail += '; a hello without SNI is refused the same way (the default server rejects every unknown name)';
      evidence.push(item(noSni, `without SNI: ${rawAnswer(noSni.raw)}: the default virtual host refuses every name it does not know`));
    } else if (accepted(noSni)) {
      detail += `; without SNI the server answers (${rawAnswer(noSni.raw)}${noSni.raw.cert ? `, certificate ${noSni.raw.cert.subject}` : ''})`;
      evidence.push(item(noSni, `without SNI the same hello is accepted: ${rawAnswer(noSni.raw)}`));
    } else evidence.push(item(noSni));
  }
  const names = noSni && accepted(noSni) ? noSni.raw.cert?.altNames : undefined;
  return { code: 'tls-sni-unknown-name', detail, evidence, ...(names ? { facts: { names } } : {}) };
}

/**
 * The bisection's findings of one code (what a cause's rule takes from the reading).
 * @example proven(c, 'tls-no-shared-group')
 */
export function proven(c: TlsEvidence, code: Code): RawFinding[] {
  return bisectionFindings(c).filter((f) => f.code === code);
}
