/**
 * Rules over the whole diagnosis (all addresses, several paths): proxies vs direct, and the like.
 * Each returns findings with the addresses they concern.
 */
import type { DiagnosisInput } from '../index.js';
import type { RawFinding } from '../raw.js';

export type ReportRule = (input: DiagnosisInput) => Array<RawFinding & { addresses: string[] }>;

export const REPORT_RULES: ReportRule[] = [];
