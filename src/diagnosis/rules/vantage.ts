/**
 * `vantage-points-disagree`: one target scanned from several vantage points (workers with
 * different labels) whose outcomes differ: h2 on one and not on another, or other findings.
 * Pure: outcomes in, a finding (or none) out.
 *
 * @example
 *   vantageFinding([
 *     { vantage: 'eu', verdict: 'ok', protocol: 'h2', codes: [] },
 *     { vantage: 'us', verdict: 'fail', protocol: 'http/1.1', codes: ['alpn-no-h2'] },
 *   ])?.code; // 'vantage-points-disagree'
 */
import type { Negotiated, Verdict } from '../../model/index.js';
import type { Code } from '../../model/codes.js';
import type { RawFinding } from '../raw.js';

/**
 * What one vantage point saw of a target.
 * @example { vantage: 'eu-west', verdict: 'fail', protocol: 'http/1.1', codes: ['alpn-no-h2'] }
 */
export interface VantageOutcome {
  vantage: string;
  worker?: string;
  /** `error`: h2doctor itself failed there. */
  verdict: Verdict | 'error';
  protocol: Negotiated['protocol'];
  codes: Code[];
  /** The addresses the diagnosis there connected to (what the name resolved to from that vantage point). */
  addresses?: string[];
}

/** The codes that say something about where the scan ran from rather than about the target. */
const NOT_COMPARED = new Set<Code>(['vantage-points-disagree', 'clock-skew']);

function signature(o: VantageOutcome): string {
  return `${o.protocol ?? '-'}|${o.verdict === 'error' ? 'error' : ''}|${[...new Set(o.codes)].filter((c) => !NOT_COMPARED.has(c)).sort().join(',')}`;
}

function describe(o: VantageOutcome): string {
  const what = o.verdict === 'error' ? 'h2doctor failed' : o.protocol ?? 'nothing works';
  const codes = o.codes.filter((c) => !NOT_COMPARED.has(c));
  return `${o.vantage} → ${what}${codes.length ? ` (${codes.join(', ')})` : o.verdict === 'error' ? '' : ', no problem found'}`;
}

function compare(outcomes: readonly VantageOutcome[]): RawFinding | undefined {
  if (outcomes.length < 2) return undefined;
  if (new Set(outcomes.map(signature)).size < 2) return undefined;
  const h2 = (o: VantageOutcome) => o.protocol === 'h2' || o.protocol === 'h2c';
  const works = outcomes.filter(h2).map((o) => o.vantage);
  const broken = outcomes.filter((o) => !h2(o)).map((o) => o.vantage);
  const detail = outcomes.map(describe).join('; ');
  const headline = works.length && broken.length ? `HTTP/2 works from ${works.join(', ')} but not from ${broken.join(', ')}` : undefined;
  const evidence = outcomes.map((o) => ({ probe: `vantage:${o.vantage}`, text: `${describe(o)}${o.worker ? ` [worker ${o.worker}]` : ''}` }));
  if (headline) evidence.unshift({ probe: 'vantage', text: headline });
  const reached = [...new Set(outcomes.filter((o) => !h2(o)).flatMap((o) => o.addresses ?? []))];
  return { code: 'vantage-points-disagree', evidence, detail, ...(reached.length ? { facts: { addresses: reached } } : {}) };
}

/**
 * The rule: one target's outcomes from several vantage points in, `vantage-points-disagree` or nothing out.
 * It runs over the results of a scan (src/scan/summary.ts), not over one diagnosis.
 * @example vantageFinding(outcomes)?.code // 'vantage-points-disagree' when one vantage gets h2 and another http/1.1
 */
export const vantageFinding = Object.assign(compare, { ruleName: 'vantage-points-disagree', codes: Object.freeze(['vantage-points-disagree'] as Code[]) });
