import type { AddressEvidence, Code, EvidenceItem, Target } from '../model/index.js';

/** What a rule returns: the code, the evidence that proves it, and the fact that fills its text. */
export interface RawFinding {
  code: Code;
  evidence: EvidenceItem[];
  /** Code-specific detail for the text (an alert name, a GOAWAY code…). */
  detail?: string;
  /** Set when the rule raised the severity above the contract's, with why. */
  raise?: { to: 'error' | 'warning'; why: string };
}

/** A rule: evidence of one address in, findings out. Pure. */
export type AddressRule = (ev: AddressEvidence) => RawFinding[];

/** What the diagnosis runs on: the target, how its addresses were found, and each address's evidence. */
export interface DiagnosisInput {
  target: Target;
  resolution: { source: 'dns' | 'resolve-pin' | 'literal'; addresses: string[]; error?: string };
  evidence: AddressEvidence[];
}
