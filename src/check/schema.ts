/**
 * The JSON Schema (draft 2020-12) of a checks file, built from the same constants as the types in
 * `types.ts`. Each object's `properties` is typed `Record<keyof T, …>`, so a key added to or
 * removed from a type without the schema (or the reverse) fails to compile.
 * `docs/checks.schema.json` is this object, pretty-printed; `schema.test.ts` checks they match.
 *
 * @example
 *   const validate = checksSchemaValidator();
 *   validate({ version: 1, checks: [] }); // false: checks needs at least one item
 */
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import { CODES } from '../model/codes.js';
import {
  CHECK_PROTOCOLS,
  MAX_SEVERITIES,
  TLS_VERSIONS,
  type Check,
  type ChecksFile,
  type Environment,
  type Expectations,
  type Http1Expectation,
  type ProblemDetailsExpectation,
  type WebSocketExpectation,
} from './types.js';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonSchema = { [key: string]: Json };

/** An object schema whose `properties` must name exactly the keys of `T`. */
function object<T>(
  properties: { [K in keyof Required<T>]: JsonSchema },
  extra: { required?: ReadonlyArray<keyof T & string>; description?: string; minProperties?: number } = {},
): JsonSchema {
  const s: JsonSchema = { type: 'object' };
  if (extra.description) s.description = extra.description;
  s.additionalProperties = false;
  if (extra.required) s.required = [...extra.required];
  if (extra.minProperties !== undefined) s.minProperties = extra.minProperties;
  s.properties = properties as { [key: string]: Json };
  return s;
}

const nonEmptyString: JsonSchema = { type: 'string', minLength: 1 };
const statusCode: JsonSchema = { $ref: '#/$defs/status' };

/** RFC 9110 §5.6.2: a token (method and field names). */
const TOKEN_PATTERN = "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$";
export const VARIABLE_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
export const ENVIRONMENT_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]*$';
/**
 * curl's `--resolve host:port:address` (host may be a bracketed IPv6 literal), or a pin holding
 * `${var}` (checked once the variables are filled in).
 */
export const RESOLVE_PATTERN = '^((\\[[^\\]]+\\]|[^:\\[\\]]+):[0-9]{1,5}:.+|.*\\$\\{.+)$';

const problemDetails = object<ProblemDetailsExpectation>(
  {
    type: { type: 'boolean' },
    title: { type: 'boolean' },
    status: { type: 'boolean' },
    detail: { type: 'boolean' },
    instance: { type: 'boolean' },
  },
  { description: 'The body must be application/problem+json (RFC 9457) carrying each member set to true.' },
);

const http1 = object<Http1Expectation>(
  {
    status: statusCode,
    upgradeIncludes: { ...nonEmptyString, description: 'A token the Upgrade header must list (case-insensitive).' },
    problemDetails,
  },
  { minProperties: 1, description: 'What a plain HTTP/1.1 request must get.' },
);

const websocket = object<WebSocketExpectation>(
  {
    status: { ...statusCode, description: 'Default 101.' },
    subprotocol: nonEmptyString,
  },
  { description: 'A WebSocket upgrade must succeed (and select this subprotocol).' },
);

const statusByProtocol: JsonSchema = {
  type: 'object',
  description: 'The status each protocol must get.',
  additionalProperties: false,
  minProperties: 1,
  properties: Object.fromEntries(CHECK_PROTOCOLS.map((p) => [p, statusCode])),
};

const expect = object<Expectations>(
  {
    protocol: { enum: [...CHECK_PROTOCOLS], description: 'What an ordinary client ends up speaking.' },
    minTls: {
      enum: [...TLS_VERSIONS, 1, 1.1, 1.2, 1.3],
      description: "The lowest acceptable negotiated TLS version ('1.2' or 1.2).",
    },
    alpnIncludes: {
      type: ['string', 'array'],
      minLength: 1,
      minItems: 1,
      items: nonEmptyString,
      description: 'ALPN value(s) the server must select when offered.',
    },
    noFindings: {
      type: 'array',
      uniqueItems: true,
      items: { enum: Object.keys(CODES) },
      description: 'Finding codes (docs/codes.md) that must not be raised.',
    },
    maxSeverity: {
      enum: [...MAX_SEVERITIES],
      description: "The worst finding tolerated: 'ok' none, 'info' info only, 'warning' anything but an error.",
    },
    status: statusByProtocol,
    http1,
    websocket,
    certValidDays: { type: 'number', minimum: 0, description: 'The certificate must stay valid at least this many more days.' },
  },
  { minProperties: 1 },
);

const check = object<Check>(
  {
    name: nonEmptyString,
    url: { ...nonEmptyString, description: 'Absolute (http, https, ws, wss) or a path joined to baseUrl; ${var} is interpolated.' },
    method: { type: 'string', pattern: TOKEN_PATTERN, description: 'Default GET.' },
    headers: {
      type: 'object',
      propertyNames: { pattern: TOKEN_PATTERN },
      additionalProperties: { type: 'string' },
      description: 'Request headers; values may hold ${var}.',
    },
    expect: { $ref: '#/$defs/expect' },
  },
  { required: ['name', 'url', 'expect'] },
);

const environment = object<Environment>({
  baseUrl: { ...nonEmptyString, description: 'Joined before check URLs that are paths; may hold ${var}.' },
  resolve: {
    type: 'array',
    items: { type: 'string', pattern: RESOLVE_PATTERN },
    description: 'Address pins like curl --resolve: host:port:address; may hold ${var}.',
  },
  cacert: { ...nonEmptyString, description: 'PEM file of the CAs to trust instead of the default roots (as curl --cacert), relative to the checks file; may hold ${var}.' },
  proxy: { ...nonEmptyString, description: 'http:// or https:// proxy URL.' },
  'connect-to': {
    type: 'array',
    items: { type: 'string', minLength: 1 },
    description: 'As curl --connect-to: host1:port1:host2:port2, connect there instead (SNI and Host keep the URL name); may hold ${var}.',
  },
  capath: { ...nonEmptyString, description: 'Directory of PEM CA certificates to trust instead of the default roots (as curl --capath), relative to the checks file; may hold ${var}.' },
  insecure: { type: 'boolean', description: 'As curl -k: go on when the certificate does not verify (it is still checked and reported).' },
  cert: { ...nonEmptyString, description: 'Client certificate (PEM, file[:password]) for mutual TLS, as curl --cert, relative to the checks file; may hold ${var}.' },
  key: { ...nonEmptyString, description: 'Private key (PEM) of the client certificate, as curl --key, relative to the checks file; may hold ${var}.' },
  pass: { type: 'string', description: 'Pass phrase of the client key, as curl --pass; use ${var} to keep it out of the file.' },
  sni: { type: 'string', description: "SNI to send instead of the URL's host ('' sends none); may hold ${var}." },
  'user-agent': { ...nonEmptyString, description: 'User-Agent of the HTTP requests, as curl -A; may hold ${var}.' },
  noproxy: { type: 'string', description: "Hosts that bypass the proxy, comma-separated ('*': all), as curl --noproxy." },
  'max-time': { type: 'number', exclusiveMinimum: 0, description: 'Longest one check may take, in seconds, as curl --max-time.' },
  ipv4: { type: 'boolean', description: 'As curl -4: IPv4 addresses only.' },
  ipv6: { type: 'boolean', description: 'As curl -6: IPv6 addresses only.' },
  variables: {
    type: 'object',
    propertyNames: { pattern: VARIABLE_NAME_PATTERN },
    additionalProperties: { type: ['string', 'number', 'boolean'] },
    description: 'Values for ${name}; the process environment is consulted for names not defined here.',
  },
});

const top = object<ChecksFile>(
  {
    $schema: { type: 'string' },
    version: { const: 1 },
    environments: {
      type: 'object',
      propertyNames: { pattern: ENVIRONMENT_NAME_PATTERN },
      additionalProperties: { $ref: '#/$defs/environment' },
    },
    checks: { type: 'array', minItems: 1, items: { $ref: '#/$defs/check' } },
  },
  { required: ['version', 'checks'] },
);

/** The checks-file schema, as published in `docs/checks.schema.json`. */
export const CHECKS_SCHEMA: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  // docs/init.schema.json refers to this schema by its $id.
  $id: 'https://h2doctor.dev/schema/checks-1.json',
  title: 'h2doctor checks file',
  description: 'Expectations that `h2doctor check <file> --env <name>` verifies against live servers. See docs/checks.md.',
  ...top,
  $defs: { environment, check, expect, status: { type: 'integer', minimum: 100, maximum: 599 } },
};

/** The published file's text: `docs/checks.schema.json` must equal this. */
export function checksSchemaJson(): string {
  return JSON.stringify(CHECKS_SCHEMA, null, 2) + '\n';
}

export type ChecksValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let validator: ChecksValidator | undefined;

/**
 * A compiled validator (ajv, all errors, verbose so each error carries its parent schema).
 *
 * @example
 *   const v = checksSchemaValidator();
 *   if (!v(data)) console.log(v.errors);
 */
export function checksSchemaValidator(): ChecksValidator {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    validator = ajv.compile(CHECKS_SCHEMA) as ChecksValidator;
  }
  return validator;
}
