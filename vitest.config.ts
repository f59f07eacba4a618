import { defineConfig } from 'vitest/config';

// CI sets H2DOCTOR_TEST_SUMMARY to a file path: the JSON results go there too, for its closing line.
const summary = process.env.H2DOCTOR_TEST_SUMMARY;

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: summary ? ['default', 'json'] : ['default'],
    ...(summary ? { outputFile: { json: summary } } : {}),
  },
});
