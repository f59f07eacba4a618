/**
 * Upgrade and 426: the HTTP/1.0 / 1.1 / 2 matrix, 426 analysis, WebSocket (issue: Upgrade and 426).
 */
import type { AddressRule } from '../raw.js';

export const upgradeRule: AddressRule = () => [];
