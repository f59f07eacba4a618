import { describe, expect, test } from 'vitest';
import { parseTarget, redactUrl } from './target.js';

describe('credentials in URLs are shown as user:***@', () => {
  test('redactUrl', () => {
    expect(redactUrl('https://bob:s3cret@example.com/x')).toBe('https://bob:***@example.com/x');
    expect(redactUrl('https://ghp_token@example.com/')).toBe('https://***@example.com/');
    expect(redactUrl('https://example.com/a@b')).toBe('https://example.com/a@b');
  });
  test('the target keeps no password: the report, reproduce commands and init use target.url', () => {
    const t = parseTarget('https://bob:s3cret@example.com:8443/x');
    expect(t.url).toBe('https://bob:***@example.com:8443/x');
    expect(JSON.stringify(t)).not.toContain('s3cret');
  });
  test('errors about the URL do not echo the password', () => {
    expect(() => parseTarget('http://bob:s3cret@example.com:99999/')).toThrow(/bob:\*\*\*@/);
    expect(() => parseTarget('http://bob:s3cret@example.com:99999/')).not.toThrow(/s3cret/);
  });
});
