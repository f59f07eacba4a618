/**
 * h2doctor as a library.
 *
 * @example
 * import { diagnose } from 'h2doctor';
 * const report = await diagnose('https://example.com', { timeoutMs: 2000 });
 * if (report.verdict === 'fail') console.error(report.findings[0]?.title);
 */
export { diagnose, DEFAULTS, type DiagnoseOptions } from './diagnose.js';
export { diagnoseEvidence, type DiagnosisOutput } from './diagnosis/index.js';
export type { DiagnosisInput } from './diagnosis/raw.js';
export { diagnoseReport } from './diagnosis/replay.js';
export { CODES, type Code, type Severity, type Family } from './model/codes.js';
export { REGISTRY, type CodeEntry } from './diagnosis/registry.js';
export { parseTarget, parseResolve } from './model/target.js';
export { H2DoctorError, UsageError, TargetError, type ErrorCode } from './model/errors.js';
export { renderJson } from './report/json.js';
export { renderTerminal } from './report/terminal.js';
export { VERSION } from './version.js';
// Every type reachable from Report (findings, evidence of every probe family, ProxyHop, MatrixRow,
// AddressEvidence…), by name.
export type * from './model/index.js';
