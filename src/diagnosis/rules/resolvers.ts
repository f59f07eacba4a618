/**
 * Resolvers that disagree (--dns-server): different answers for one name, and the answers behave
 * differently (HTTP/2 works on one resolver's addresses, not on another's; one resolver has no
 * answer). The field report's first workaround, "change resolver", is this finding's evidence.
 * A report-level rule: the resolvers' answers (DiagnosisInput.resolvers) and the per-address results.
 */
import type { AddressReport, ResolverAnswer } from '../../model/index.js';
import { reportRule, type DiagnosisInput } from '../raw.js';

type Answer = NonNullable<DiagnosisInput['resolvers']>[number];

/**
 * @example resolversDisagree({ ...input, resolvers: [{ server: '127.0.0.1:5301', addresses: ['127.0.0.1'] }, { server: '127.0.0.1:5302', addresses: ['127.0.0.3'] }] }, perAddress)
 */
export const resolversDisagree = reportRule('resolvers-disagree', ['dns-addresses-disagree'], (input, perAddress) => {
  const resolvers = input.resolvers;
  if (!resolvers || resolvers.length < 2) return [];
  const outcome = (r: Answer) => {
    if (!r.addresses.length) return { sig: `none:${r.error ?? ''}`, text: `no address (${r.error ?? 'empty answer'})` };
    const rows = r.addresses.map((a) => perAddress.find((p: AddressReport) => p.address === a));
    const sig = rows.map((p) => `${p?.negotiated.protocol ?? null}|${[...(p?.findingCodes ?? [])].sort().join(',')}`).sort().join(';');
    const h2 = rows.every((p) => p?.negotiated.protocol === 'h2' || p?.negotiated.protocol === 'h2c');
    const parts = rows.map((p, i) => `${r.addresses[i]} → ${p?.negotiated.protocol ?? 'nothing works'}${p?.findingCodes.length ? ` (${p.findingCodes.join(', ')})` : ''}`);
    return { sig, text: `${parts.join('; ')}: HTTP/2 ${h2 ? 'works' : 'fails'} on this answer` };
  };
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (!resolvers.some((r) => !sameSet(r.addresses, resolvers[0]!.addresses))) return [];
  const outs = resolvers.map(outcome);
  if (new Set(outs.map((o) => o.sig)).size < 2) return [];
  return [
    {
      code: 'dns-addresses-disagree',
      detail: resolvers.map((r, i) => `resolver ${r.server}: ${outs[i]!.text}`).join('; '),
      addresses: perAddress.map((a) => a.address),
      evidence: resolvers.map((r, i) => ({ probe: 'dns', text: `resolver ${r.server} answered ${r.addresses.join(', ') || 'nothing'}: ${outs[i]!.text}` })),
    },
  ];
});

/**
 * What works on each resolver's answer, from the per-address results (the report's `resolvers`).
 * @example resolverAnswers(byResolver.answers, out.addresses)[0] // { server: '1.1.1.1', addresses: ['192.0.2.1'], protocol: 'h2', h2: true, verdict: 'ok' }
 */
export function resolverAnswers(answers: readonly Answer[], addrs: readonly AddressReport[]): ResolverAnswer[] {
  return answers.map((a) => {
    const mine = addrs.filter((x) => a.addresses.includes(x.address));
    const order = ['h2', 'h2c', 'http/1.1'] as const;
    const protocol = order.find((p) => mine.some((x) => x.negotiated.protocol === p)) ?? null;
    const verdict = mine.some((x) => x.verdict === 'fail') || !mine.length ? 'fail' : mine.some((x) => x.verdict === 'warn') ? 'warn' : 'ok';
    return {
      server: a.server,
      addresses: [...a.addresses],
      ...(a.error ? { error: a.error } : {}),
      protocol,
      h2: mine.length > 0 && mine.every((x) => x.negotiated.protocol === 'h2' || x.negotiated.protocol === 'h2c'),
      verdict,
    };
  });
}
