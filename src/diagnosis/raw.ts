import type { EvidenceItem } from '../types.js';
import type { Code } from './codes.js';

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
export type AddressRule = (ev: import('./evidence.js').AddressEvidence) => RawFinding[];
