import { defineConfig } from 'vitest/config';

// Two projects: unit tests need no kernel; kernel tests need a kernel with the bonding driver and
// run inside the test bed (scripts/test-bed/run-all.mjs), each file in its own namespaces.
export default defineConfig({
  // The test bed mounts the host filesystem read-only; keep vite's cache somewhere writable.
  cacheDir: process.env.NETBOND_CACHE_DIR ?? 'node_modules/.vite',
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'kernel',
          include: ['test/kernel/**/*.test.ts'],
          globalSetup: ['test/kernel/global-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // One CPU in the guest: files run one after another; each test uses its own namespace.
          fileParallelism: false,
          pool: 'forks',
        },
      },
    ],
  },
});
