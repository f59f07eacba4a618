/**
 * Raw-hello labels are a union: the TLS rules look raw probes up by label, so a label the stage does
 * not send (a typo, a rename on one side only) must fail `npm run typecheck`, not silently disable a rule.
 */
import { expect, test } from 'vitest';
import type { BisectHelloLabel, RawHelloLabel, StageHelloLabel, SurveyHelloLabel } from './tls-probes.js';

test('the labels the TLS stage sends are accepted', () => {
  const labels: StageHelloLabel[] = ['mirror', 'widest', 'narrow-cipher', 'tls12-only', 'no-sni', 'tls12-no-sni', 'legacy', 'survey-TLSv1.2', 'survey-TLSv1.2-no-sni', 'survey-TLSv1.3-4', 'survey-TLSv1', 'survey-SSLv3', 'survey-no-sni'];
  const client: RawHelloLabel = 'client-curl-narrow-cipher';
  expect([...labels, client]).toHaveLength(14);
});

test('a label no probe sends is a type error', () => {
  // @ts-expect-error the survey's labels use Node's version names ('survey-TLSv1.2')
  const a: SurveyHelloLabel = 'survey-TLS1.2';
  // @ts-expect-error no such bisection step
  const b: BisectHelloLabel = 'narrow-ciphers';
  // @ts-expect-error a client's hello is not one of the stage's (rules about the target never see it)
  const c: StageHelloLabel = 'client-curl';
  // @ts-expect-error 'TLSv1.4' is not in TLS_VERSION_TABLE
  const d: SurveyHelloLabel = 'survey-TLSv1.4';
  expect([a, b, c, d]).toHaveLength(4);
});
