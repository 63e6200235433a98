import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 60_000,
    // expect.poll waits up to 10 s (1 s by default): a loaded machine answers a go-live in more.
    expect: { poll: { timeout: 10_000 } },
    hookTimeout: 60_000,
    // DuckDB uses all cores per query; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
  },
});
