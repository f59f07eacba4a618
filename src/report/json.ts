/** The JSON report (`--json`): the Report as is, `schemaVersion` first. Schema: docs/report.schema.json. */
import type { Report } from '../model/index.js';

/**
 * The report as JSON (the `--json` document).
 * @example JSON.parse(renderJson(report)).schemaVersion // 1
 */
export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
