import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

// Two projects: Node-side tests (shared/, inference/, edge flows, end-to-end) and tests that run
// inside the real Workers runtime (workerd) for the edge.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['test/shared/**/*.test.ts', 'test/inference/**/*.test.ts', 'test/repo/**/*.test.ts', 'test/edge-flow/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            // The default export (SELF) points at an origin where nothing listens, so tests that use it
            // prove a route never needs the container; tests that need an origin build their own app
            // with an injected fake (test/edge/harness.ts).
            miniflare: { bindings: { ORIGIN_URLS: 'http://127.0.0.1:9', ORIGIN_TIMEOUT_MS: '2000' } },
          }),
        ],
        test: {
          name: 'workers',
          include: ['test/edge/**/*.test.ts'],
        },
      },
    ],
  },
});
