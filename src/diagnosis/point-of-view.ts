/**
 * `--client <name>`: the verdict from one client's point of view. The client's own requirements
 * decide (a browser never uses h2c, so a cleartext HTTP/1.1 server is fine for it; gRPC needs
 * HTTP/2; curl --http2 tries Upgrade: h2c), and the findings that only concern other clients
 * (Node's own hello, clients offering what this one does not) are set aside, each with why. Pure.
 */
import type { ClientPolicy, ClientRow, Finding, PointOfView, Target, Verdict } from '../model/index.js';
import { CODES, type Code } from '../model/codes.js';
import { verdictOf } from './index.js';

const PREFACE: Code[] = ['preface-http1-response', 'preface-closed', 'preface-timeout', 'preface-garbage', 'preface-not-settings'];
const NODE_HELLO: Code[] = ['tls-handshake-alert', 'tls-no-shared-cipher', 'tls-no-shared-group', 'tls-version-too-old', 'tls12-not-supported', 'tls13-not-supported'];

/** Why a finding does not concern this client, or undefined when it does. */
function asideWhy(code: Code, target: Target, c: { name: string; policy: ClientPolicy; offersH2: boolean }, row: ClientRow | undefined): string | undefined {
  const fam = CODES[code].family;
  const h2family = (fam === 'protocol' && !code.startsWith('scheme-') && code !== 'http1-not-supported') || fam === 'session';
  if (!target.tls) {
    if (c.policy.cleartext === 'http1' && h2family) return `${c.name} never speaks HTTP/2 on cleartext (no h2c)`;
    if (c.policy.cleartext === 'h2c-prior-knowledge' && code === 'h2c-upgrade-unsupported') return `${c.name} uses prior knowledge, not Upgrade: h2c`;
    if (c.policy.cleartext === 'h2c-upgrade' && PREFACE.includes(code)) return `${c.name} asks with Upgrade: h2c, never with the preface alone`;
    return undefined;
  }
  if (!c.offersH2 && h2family) return `${c.name} does not offer h2`;
  if (NODE_HELLO.includes(code) && row && row.stage !== 'handshake' && row.outcome !== 'unknown') return `${c.name}'s own handshake completes (${row.tlsVersion ?? ''} ${row.cipher ?? ''})`.replace(/ \)/, ')');
  return undefined;
}

/**
 * Apply the point of view: the findings that concern the client, the verdict from them, and the words.
 *
 * @example
 * const { findings, verdict, pointOfView } = applyPointOfView(report.findings, rows, target, who);
 */
export function applyPointOfView(
  findings: Finding[],
  rows: readonly ClientRow[],
  target: Target,
  who: { id: string; name: string; version: string; policy: ClientPolicy; offersH2: boolean },
): { findings: Finding[]; verdict: Verdict; pointOfView: PointOfView } {
  const mine = rows.filter((r) => r.client === who.id);
  // The worst address decides (fails < unknown < fallback < http/1.1 < h2).
  const rank = { fails: 0, unknown: 1, 'http/1.1 fallback': 2, 'http/1.1': 3, h2c: 4, h2: 4 } as const;
  const row = [...mine].sort((a, b) => rank[a.outcome] - rank[b.outcome])[0];
  const setAside: PointOfView['setAside'] = [];
  const kept: Finding[] = [];
  for (const f of findings) {
    const why = asideWhy(f.code, target, who, row);
    if (why) setAside.push({ code: f.code, why });
    else kept.push(f);
  }
  const outcome = row?.outcome ?? 'unknown';
  const reason = !row
    ? `${who.name} could not be simulated here`
    : outcome === 'h2' || outcome === 'h2c'
      ? `${who.name} gets HTTP/2: ${row.reason}`
      : outcome === 'http/1.1'
        ? `${who.name} ${row.reason}: that is what it asks for`
        : outcome === 'http/1.1 fallback'
          ? `${who.name} falls back to HTTP/1.1: ${row.reason}`
          : outcome === 'fails'
            ? `${who.name} fails: ${row.reason}`
            : `${who.name}: ${row.reason}`;
  return {
    findings: kept,
    verdict: verdictOf(kept.map((f) => f.severity)),
    pointOfView: { client: who.id, name: who.name, version: who.version, policy: who.policy, outcome, reason, setAside },
  };
}
