/**
 * SARIF 2.1.0 (OASIS) for `h2doctor check --sarif <file|->`, the format code-scanning dashboards
 * (GitHub code scanning, Azure DevOps, SonarQube…) read: one run, one rule per kind of expectation,
 * one result per failed expectation and one per check that could not run, located at the check's
 * line in the checks file. A passing run has an empty `results` list (the dashboard then closes
 * earlier alerts).
 *
 * @example
 *   writeFileSync('h2doctor.sarif', JSON.stringify(toSarif(results, { file: 'checks.yaml', env: 'prod' }), null, 2));
 */
import type { CheckResult } from '../model/index.js';
import { VERSION } from '../version.js';

/**
 * The rules: one per expectation of the checks file (docs/checks.md), and one for a check that could not run.
 * @example SARIF_RULES.minTls // 'the lowest acceptable negotiated TLS version'
 */
export const SARIF_RULES = {
  'could-not-run': 'the check could not be run: nothing could be connected to, or the run failed (the root cause is named)',
  protocol: 'what an ordinary client ends up speaking (h2, h2c, http/1.1), as a client that verifies the certificate gets it',
  minTls: 'the lowest acceptable negotiated TLS version',
  alpnIncludes: 'ALPN values the server must select when offered',
  noFindings: 'finding codes that must not be raised',
  maxSeverity: 'the worst finding severity tolerated',
  status: 'the status each protocol must get',
  http1: 'what a plain HTTP/1.1 request must get (status, Upgrade token, Problem Details)',
  websocket: 'a WebSocket upgrade must succeed (status, subprotocol)',
  certValidDays: 'the certificate must stay valid at least this many more days',
} as const;

/**
 * A SARIF rule id: one per expectation of the checks file, and could-not-run.
 * @example const id: SarifRuleId = 'noFindings'
 */
export type SarifRuleId = keyof typeof SARIF_RULES;

/**
 * The part of a SARIF log this renderer writes (field names as in the OASIS schema).
 * @example toSarif(results, { file: 'checks.yml', env: 'prod' }).runs[0].results[0].ruleId // 'protocol'
 */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: Array<{ id: string; name: string; shortDescription: { text: string }; defaultConfiguration: { level: 'error' }; help: { text: string } }> } };
    automationDetails: { id: string };
    artifacts: Array<{ location: { uri: string } }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: 'error';
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; index: number }; region: { startLine: number } } }>;
      properties: { check: string; env: string; url: string; expectation?: string; expected?: string; actual?: string };
    }>;
  }>;
}

/**
 * The SARIF log of one `check` run. `file` is the checks file as the user named it (a relative
 * path reads as relative to the repository root in code scanning).
 *
 * @example
 *   toSarif([{ name: 'api', env: 'prod', url: 'https://a.test/', passed: false, durationMs: 9, line: 7,
 *     failures: [{ expectation: 'protocol', expected: 'h2', actual: 'http/1.1', message: 'expected protocol h2, negotiated http/1.1' }] }],
 *     { file: 'checks.yaml', env: 'prod' }).runs[0].results[0].ruleId; // 'protocol'
 */
export function toSarif(results: readonly CheckResult[], o: { file: string; env: string }): SarifLog {
  const ids = Object.keys(SARIF_RULES) as SarifRuleId[];
  const rules = ids.map((id) => ({
    id,
    name: id === 'could-not-run' ? 'CouldNotRun' : id.charAt(0).toUpperCase() + id.slice(1),
    shortDescription: { text: SARIF_RULES[id] },
    defaultConfiguration: { level: 'error' as const },
    help: { text: 'The expectation is described in docs/checks.md of the h2doctor package.' },
  }));
  const uri = o.file.replace(/\\/g, '/');
  const out: SarifLog['runs'][number]['results'] = [];
  const at = (r: CheckResult) => [{ physicalLocation: { artifactLocation: { uri, index: 0 }, region: { startLine: Math.max(1, r.line ?? 1) } } }];
  for (const r of results) {
    const where = { check: r.name, env: r.env, url: r.url };
    if (r.error !== undefined) {
      out.push({ ruleId: 'could-not-run', ruleIndex: 0, level: 'error', message: { text: `${r.name} (${r.url}): could not run: ${r.error}` }, locations: at(r), properties: where });
      continue;
    }
    for (const f of r.failures) {
      const root = f.expectation.split('.')[0] as SarifRuleId;
      const id: SarifRuleId = root in SARIF_RULES ? root : 'could-not-run';
      out.push({
        ruleId: id,
        ruleIndex: ids.indexOf(id),
        level: 'error',
        message: { text: `${r.name} (${r.url}): ${f.message}` },
        locations: at(r),
        properties: { ...where, expectation: f.expectation, expected: f.expected, actual: f.actual },
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'h2doctor', version: VERSION, rules } },
        // One category per environment: runs of other environments do not close each other's alerts.
        automationDetails: { id: `h2doctor-check/${o.env}/` },
        artifacts: [{ location: { uri } }],
        results: out,
      },
    ],
  };
}
