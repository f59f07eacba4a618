/**
 * What rules are: pure functions from evidence to raw findings, each declaring the codes it may
 * emit (`addressRule` / `reportRule`). The engine (`index.ts`) merges, folds and judges them.
 */
import type { AddressEvidence, AddressReport, Code, EvidenceItem, Target } from '../model/index.js';

/**
 * What a rule returns: the code, the evidence that proves it, and the fact that fills its text.
 * @example const f: RawFinding = { code: 'tcp-refused', evidence: [{ probe: '192.0.2.1/tcp', text: 'ECONNREFUSED' }] };
 */
export interface RawFinding {
  code: Code;
  evidence: EvidenceItem[];
  /** Code-specific detail for the text (an alert name, a GOAWAY code…). */
  detail?: string;
  /** Set when the rule raised the severity above the contract's, with why. */
  raise?: { to: 'error' | 'warning'; why: string };
  /** Facts from the evidence that fill the fixes (names, addresses), so no fix needs a placeholder. */
  facts?: Facts;
}

/**
 * Facts a rule read from the evidence for the words beyond `detail`.
 * @example const f: Facts = { names: ['www.example.com'], addresses: ['192.0.2.8'] };
 */
export interface Facts {
  /** Names the server's certificate covers (its subjectAltName): the names it is configured for. */
  names?: string[];
  /** Addresses where the failure was seen (what a failing vantage point reached). */
  addresses?: string[];
}

/**
 * What a rule may know besides the evidence: the time of the diagnosis (rules never read the clock).
 * @example rule(ev, { now: new Date('2026-01-01T00:00:00Z') })
 */
export interface RuleContext {
  /** When the evidence was taken (the report's startedAt). */
  now: Date;
}

/**
 * The body of an address rule: evidence of one address in, findings out. Pure.
 * @example const none: AddressRule = (ev) => [];
 */
export type AddressRule = (ev: AddressEvidence, ctx?: RuleContext) => RawFinding[];

/**
 * What the diagnosis runs on: the target, how its addresses were found, and each address's evidence.
 * @example diagnoseEvidence({ target, resolution: { source: 'dns', addresses: ['192.0.2.1'] }, evidence: [{ address: '192.0.2.1', target, probes }] })
 */
export interface DiagnosisInput {
  target: Target;
  resolution: { source: 'dns' | 'resolve-pin' | 'literal'; addresses: string[]; error?: string };
  evidence: AddressEvidence[];
  /** When the evidence was taken (ISO 8601; a replay passes the report's startedAt). Default: now. */
  now?: string;
  /** The user's connection options that reproduce commands must carry (`--cacert` file, proxy URL). */
  context?: { caFile?: string; proxy?: string };
  /** With --dns-server: each resolver's answer (compared by rules/resolvers.ts). */
  resolvers?: Array<{ server: string; addresses: string[]; error?: string }>;
}

/**
 * A finding of a report-level rule, with the addresses it concerns.
 * @example const f: ReportFinding = { code: 'dns-no-address', evidence: [], addresses: [] };
 */
export type ReportFinding = RawFinding & { addresses: string[] };

/**
 * The body of a report-level rule: every address's evidence and per-address outcome in, findings out. Pure.
 * @example const none: ReportRuleBody = (input, addresses) => [];
 */
export type ReportRuleBody = (input: DiagnosisInput, addresses: readonly AddressReport[]) => ReportFinding[];

/**
 * A rule with its name and the codes it may emit (the registry ties each code to its rules).
 * @example RULES.map((r: Declared) => [r.ruleName, r.codes])
 */
export interface Declared {
  readonly ruleName: string;
  readonly codes: readonly Code[];
}
/**
 * An address rule with its name and the codes it may emit.
 * @example RULES[0]!(ev, { now: new Date() }) // RawFinding[]
 */
export type Rule = AddressRule & Declared;
/**
 * A report-level rule with its name and codes.
 * @example REPORT_RULES[0]!(input, addresses) // ReportFinding[]
 */
export type ReportRule = ReportRuleBody & Declared;

function check(ruleName: string, codes: readonly Code[], out: readonly RawFinding[]): void {
  for (const f of out) {
    if (!codes.includes(f.code)) throw new Error(`rule ${ruleName} emitted ${f.code}, which it does not declare`);
  }
}

/**
 * An address rule that declares the codes it may emit; emitting any other is a bug (it throws).
 * @example
 * const refused = addressRule('tcp-refused', ['tcp-refused'], (ev) => []);
 * refused.codes // ['tcp-refused']
 */
export function addressRule(ruleName: string, codes: readonly Code[], body: AddressRule): Rule {
  const frozen = Object.freeze([...codes]);
  const rule: AddressRule = (ev, ctx) => {
    const out = body(ev, ctx);
    check(ruleName, frozen, out);
    return out;
  };
  return Object.assign(rule, { ruleName, codes: frozen });
}

/**
 * A report-level rule (over every address at once) that declares the codes it may emit.
 * @example
 * const none = reportRule('none', ['dns-no-address'], () => []);
 */
export function reportRule(ruleName: string, codes: readonly Code[], body: ReportRuleBody): ReportRule {
  const frozen = Object.freeze([...codes]);
  const rule: ReportRuleBody = (input, addresses) => {
    const out = body(input, addresses);
    check(ruleName, frozen, out);
    return out;
  };
  return Object.assign(rule, { ruleName, codes: frozen });
}
