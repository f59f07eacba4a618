/**
 * SARIF validation against the OASIS SARIF 2.1.0 JSON Schema (draft-04, vendored in
 * test/fixtures/sarif/ from an npm package; see its README), with ajv-draft-04.
 */
import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';

// A CommonJS module with `exports.default`: under NodeNext the default import is the module object.
const Ajv04 = ((AjvDraft04 as unknown as { default?: typeof AjvDraft04 }).default ?? AjvDraft04) as unknown as typeof AjvDraft04.default;

const SCHEMA = JSON.parse(readFileSync(new URL('./fixtures/sarif/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8')) as object;

export interface SarifDoc {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string }> } };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>; properties?: Record<string, string> }>;
  }>;
}

let validate: ((d: unknown) => boolean) & { errors?: unknown[] | null } | undefined;

/** The schema's complaints about `doc` (empty: valid). Formats checked: date-time, uri, uri-reference. */
export function validSarif(doc: unknown): unknown[] {
  if (validate === undefined) {
    // strict off: the OASIS schema itself is not ajv-strict (an anyOf requiring a property it does not define); it is a
    // third-party schema, used as published. unicodeRegExp off: the schema's `language` pattern (…{2}]?$) is valid only as a non-Unicode RegExp.
    const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    ajv.addFormat('uri', (s: string) => URL.canParse(s));
    ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///') && !/\s/.test(s));
    validate = ajv.compile(SCHEMA);
  }
  const v = validate!;
  return v(doc) ? [] : (v.errors ?? []).slice(0, 5);
}
