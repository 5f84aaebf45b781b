import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: PGlite start-up is CPU-bound WASM, so more workers only slow each file down.
    maxWorkers: 2,
  },
});
