/**
 * Library replay: the findings of a saved JSON report, recomputed from its recorded probes alone (no
 * socket). `diagnoseReport(JSON.parse(saved))` gives the findings, verdict and per-address outcome
 * `diagnose()` gave, so rules can be re-run on evidence a user attached to a bug report.
 */
import type { Report } from '../model/index.js';
import type { AddressEvidence } from './evidence.js';
import { diagnoseEvidence, type DiagnosisOutput } from './index.js';

/**
 * Re-runs the diagnosis on a report's probes, grouped by address in the report's address order.
 * @example
 * const again = diagnoseReport(JSON.parse(readFileSync('report.json', 'utf8')));
 * again.findings.map((f) => f.code) // the saved report's codes
 */
export function diagnoseReport(report: Report): DiagnosisOutput {
  const order = [...report.addresses.map((a) => a.address), ...report.probes.map((p) => p.address)];
  const evidence: AddressEvidence[] = [];
  const byId = new Map(report.probes.map((p) => [p.id, p]));
  for (const address of new Set(order)) {
    // The rules read an address's probes in the order they were taken (AddressReport.probes), not
    // the report's start-time order.
    const listed = (report.addresses.find((a) => a.address === address)?.probes ?? []).map((id) => byId.get(id)).filter((p) => p !== undefined);
    const probes = [...listed, ...report.probes.filter((p) => p.address === address && !listed.includes(p))];
    if (probes.length || report.addresses.some((a) => a.address === address)) evidence.push({ address, target: report.target, probes });
  }
  const r = report.resolution;
  return diagnoseEvidence({
    target: report.target,
    resolution: { source: r.source === 'proxy' ? 'literal' : r.source, addresses: r.addresses, ...(r.error ? { error: r.error } : {}) },
    evidence,
    now: report.startedAt,
    ...(report.proxy ? { context: { proxy: report.proxy.url } } : {}),
  });
}
