import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CODES } from '../model/codes.js';
import { parseChecksFile } from './parse.js';
import { CHECKS_SCHEMA, checksSchemaJson, checksSchemaValidator } from './schema.js';
import type { ChecksFile } from './types.js';

const docs = (name: string): URL => new URL(`../../docs/${name}`, import.meta.url);

/** The ```yaml block of docs/checks.md that starts with the schema comment: the full example. */
async function docsExample(): Promise<string> {
  const md = await readFile(docs('checks.md'), 'utf8');
  const block = /```yaml\n(# yaml-language-server[\s\S]*?)```/.exec(md);
  if (!block?.[1]) throw new Error('no full example in docs/checks.md');
  return block[1];
}

/** Typed as the normalised file: if a type and the schema drift apart, this or its validation breaks. */
const sample: ChecksFile = {
  $schema: './checks.schema.json',
  version: 1,
  environments: {
    lab: {
      baseUrl: 'https://localhost:8443',
      resolve: ['localhost:8443:127.0.0.1'],
      cacert: 'ca.pem',
      proxy: 'http://127.0.0.1:3128',
      variables: { TOKEN: 'secret' },
    },
  },
  checks: [
    {
      name: 'everything',
      url: '/x',
      method: 'POST',
      headers: { authorization: 'Bearer ${TOKEN}' },
      expect: {
        protocol: 'h2',
        minTls: '1.3',
        alpnIncludes: ['h2'],
        noFindings: ['cert-expired'],
        maxSeverity: 'warning',
        status: { h2: 200, h2c: 200, 'http/1.1': 426 },
        http1: { status: 426, upgradeIncludes: 'h2c', problemDetails: { type: true, title: true, status: true, detail: true, instance: true } },
        websocket: { status: 101, subprotocol: 'chat' },
        certValidDays: 30,
      },
    },
  ],
};

describe('checks schema', () => {
  it('is a valid draft 2020-12 schema that ajv compiles in strict mode without warnings', () => {
    const warnings: unknown[] = [];
    const logger = { log: () => {}, warn: (...a: unknown[]) => warnings.push(a), error: (...a: unknown[]) => warnings.push(a) };
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, logger });
    expect(ajv.validateSchema(CHECKS_SCHEMA)).toBe(true);
    ajv.compile(CHECKS_SCHEMA);
    expect(warnings).toEqual([]);
  });

  it('docs/checks.schema.json is the schema, pretty-printed', async () => {
    expect(await readFile(docs('checks.schema.json'), 'utf8')).toBe(checksSchemaJson());
  });

  it('lists every finding code for noFindings', () => {
    const json = JSON.parse(checksSchemaJson()) as { $defs: { expect: { properties: { noFindings: { items: { enum: string[] } } } } } };
    expect(json.$defs.expect.properties.noFindings.items.enum).toEqual(Object.keys(CODES));
  });

  it('accepts a typed sample using every key, and parsing its YAML gives it back', () => {
    const validate = checksSchemaValidator();
    expect(validate(sample), JSON.stringify(validate.errors)).toBe(true);
    const r = parseChecksFile(JSON.stringify(sample, null, 2), 'sample.json');
    expect(r).toMatchObject({ ok: true, file: sample });
  });

  it('accepts the full example of docs/checks.md, raw and through the parser', async () => {
    const text = await docsExample();
    const validate = checksSchemaValidator();
    expect(validate(parseYaml(text)), JSON.stringify(validate.errors)).toBe(true);
    const r = parseChecksFile(text, 'docs/checks.md', { env: 'staging', processEnv: { API_TOKEN: 't' } });
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
    expect(r.plan?.checks.map((c) => c.url)).toEqual([
      'https://staging.example.com/api/v2/health',
      'https://staging.example.com/legacy',
      'wss://chat.example.com/socket',
    ]);
  });

  it('rejects what the types forbid', () => {
    const validate = checksSchemaValidator();
    const bad = (patch: (f: Record<string, any>) => void): boolean => {
      const f = structuredClone(sample) as unknown as Record<string, any>;
      patch(f);
      return validate(f);
    };
    expect(bad((f) => (f.version = 2))).toBe(false);
    expect(bad((f) => (f.checks[0].expect.protocol = 'h3'))).toBe(false);
    expect(bad((f) => (f.checks[0].expect.status = { h3: 200 }))).toBe(false);
    expect(bad((f) => (f.checks[0].expect.maxSeverity = 'error'))).toBe(false);
    expect(bad((f) => (f.checks[0].expect.noFindings = ['nope']))).toBe(false);
    expect(bad((f) => (f.checks[0].expect = {}))).toBe(false);
    expect(bad((f) => delete f.checks[0].url)).toBe(false);
    expect(bad((f) => (f.environments.lab.resolve = ['no-port']))).toBe(false);
    expect(bad((f) => (f.extra = true))).toBe(false);
  });
});
