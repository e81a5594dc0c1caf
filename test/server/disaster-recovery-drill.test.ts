/**
 * The disaster recovery drill (support/drill.ts) on file: storage: each region's vaults in a
 * directory; the disaster removes eu-central-1's.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DRILL_CENTRAL, DRILL_WEST, defineDrill } from './support/drill.js';

defineDrill('the drill on file: storage: production region and catalog lost, the backup account recovers and restores its copies', async ({ dir }) => ({
  regionsYaml: `regions:
  - { name: ${DRILL_CENTRAL}, storage: "file:./storage/${DRILL_CENTRAL}" }
  - { name: ${DRILL_WEST}, storage: "file:./storage/${DRILL_WEST}" }
`,
  env: {},
  loseCentral: () => rm(join(dir, 'storage', DRILL_CENTRAL), { recursive: true, force: true }),
  repository: /\/[^']+\/repo/,
  credentialLines: /(?:)/,
  stop: async () => undefined,
}));
