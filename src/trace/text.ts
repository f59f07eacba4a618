/**
 * Bytes as one printable line for a trace: text stays text, CR/LF/TAB are escaped, anything else
 * is \xNN. Bounded by its input (callers slice first).
 *
 * @example
 * printable(new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n')); // 'HTTP/1.1 400 Bad Request\\r\\n'
 */
export function printable(b: Uint8Array): string {
  let s = '';
  for (const x of b) {
    if (x === 0x0d) s += '\\r';
    else if (x === 0x0a) s += '\\n';
    else if (x === 0x09) s += '\\t';
    else if (x === 0x5c) s += '\\\\';
    else if (x === 0x22) s += '\\"';
    else if (x >= 0x20 && x < 0x7f) s += String.fromCharCode(x);
    else s += `\\x${x.toString(16).padStart(2, '0')}`;
  }
  return s;
}
