import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The QEMU suite: Debian's own kernel images and emulated NICs with real drivers, run only inside a
// guest of scripts/test-bed/qemu-run.sh (docs/qemu-bed.md):
//   scripts/test-bed/qemu-run.sh [--image 6.12] -- npx vitest run --config test/qemu/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  // The guest's root is a throwaway overlay, the repo a 9p share: keep vite's cache in guest RAM.
  cacheDir: process.env.NETBOND_CACHE_DIR ?? '/tmp/netbond-vite',
  test: {
    name: 'qemu',
    include: ['test/qemu/**/*.test.ts'],
    environment: 'node',
    // Budgets: 3x the slowest run measured beside another guest on the same CPU (docs/qemu-bed.md).
    testTimeout: 90_000,
    hookTimeout: 90_000,
    // One CPU in the guest, and the NICs are shared by the files: one file at a time.
    fileParallelism: false,
    pool: 'forks',
  },
});
