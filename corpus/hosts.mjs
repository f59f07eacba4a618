// The host names and ports of a recording, replaced by {host} and {port}: what a recorded line says
// about any host. Used by corpus/lines.mjs and corpus/printed.mjs; the diagnosis puts the real host
// and port back (src/diagnosis/knowledge/printed.ts).
export function withHostMarkers(text) {
  return text
    .replace(/\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.h2doctor\.invalid\b/g, '{host}')
    .replace(/\b(localhost|127\.0\.0\.1)(?=[:'"/ )\]>]|$)/gm, '{host}')
    .replace(/(\{host\}['"]?(?:, port=|:))\d{2,5}\b/g, '$1{port}')
    .replace(/port=\d{2,5}\b/g, 'port={port}')
    .replace(/(\{host\} port )\d{2,5}\b/g, '$1{port}');
}

/**
 * A recorded line as a finding quotes it: host markers, and without the logging prefix some clients
 * put before the message (Chromium's "[pid:tid:date/time:ERROR:file.cc:N] ", gRPC core's
 * "E1203 06:36:22.462233061   31289 file.cc:N] ", wget's "2026-12-03 06:38:11 ") or leading blanks.
 */
export function printable(line) {
  return withHostMarkers(line)
    .replace(/^\[\d+:\d+:\d+\/[\d.]+:[A-Z]+:[^\]]*\] /, '')
    .replace(/^[EWI]\d{4} [\d:.]+\s+\d+ [^\]]*\]\s+/, '')
    .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /, '')
    .replace(/^\s+/, '');
}
