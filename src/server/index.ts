/**
 * `h2doctor/server`: helpers for your own Node servers.
 *
 * @example
 * import { requireProtocol } from 'h2doctor/server';
 * const guard = requireProtocol({ minHttpVersion: '2.0' });
 * http2.createSecureServer({ key, cert, allowHTTP1: true }, (req, res) => {
 *   if (!guard(req, res)) return; // HTTP/1.1 clients got a 426
 *   res.end('hello over HTTP/2');
 * });
 */
export {
  announcementHeaders,
  buildUpgradeRequired,
  evaluate,
  inspectRequest,
  requestPath,
  requireProtocol,
  requireProtocolFastify,
  type FastifyOnRequest,
  type GuardRequest,
  type GuardResponse,
  type HttpVersionRequirement,
  type LinkOption,
  type ProblemOptions,
  type ProtocolGuard,
  type RequestProtocol,
  type RequireProtocolOptions,
  type TlsVersion,
  type TlsVersionRequirement,
  type UpgradeRequiredResponse,
  type GuardDecision,
  type Verdict,
} from './require-protocol.js';
