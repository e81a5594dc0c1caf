#!/usr/bin/env node
// Writes docs/api-coverage.md from the code: the AWS Backup model (src/aws/models/backup.json),
// Coffer's plan (src/aws/backup/operation-tiers.json) and the operation table
// (src/aws/backup/operations.ts). test/aws/api-coverage.test.ts fails when the file is stale.
// Also docs/kms-api-coverage.md from the KMS model and src/aws/kms/operations.ts.
//
//   node scripts/gen-api-coverage.mjs                  # rewrite docs/api-coverage.md
//   node scripts/gen-api-coverage.mjs --tiers FILE     # first refresh the tiers from a tier table (TSV),
//                                                      # e.g. ../shared/spec/backup-operations.tsv
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { parseTierTable, renderApiCoverage } = await import('../src/aws/api-coverage.ts');
const { BACKUP_MODEL, KMS_MODEL } = await import('../src/aws/service-model.ts');
const { renderKmsCoverage } = await import('../src/aws/kms/kms-coverage.ts');
const { KMS_IMPLEMENTED } = await import('../src/aws/kms/operations.ts');
const { IMPLEMENTED, NOT_YET } = await import('../src/aws/backup/operations.ts');

const tiersFile = join(root, 'src', 'aws', 'backup', 'operation-tiers.json');
const tiersAt = process.argv.indexOf('--tiers');
if (tiersAt >= 0) {
  const tiers = parseTierTable(readFileSync(process.argv[tiersAt + 1], 'utf8'));
  const lines = Object.keys(tiers)
    .sort()
    .map((op) => `  ${JSON.stringify(op)}: ${JSON.stringify(tiers[op])}`);
  writeFileSync(tiersFile, `{\n${lines.join(',\n')}\n}\n`);
  console.log(`wrote ${tiersFile} (${lines.length} operations)`);
}
const doc = join(root, 'docs', 'api-coverage.md');
writeFileSync(doc, renderApiCoverage(BACKUP_MODEL, JSON.parse(readFileSync(tiersFile, 'utf8')), IMPLEMENTED, NOT_YET));
console.log(`wrote ${doc}`);
const kmsDoc = join(root, 'docs', 'kms-api-coverage.md');
writeFileSync(kmsDoc, renderKmsCoverage(KMS_MODEL, KMS_IMPLEMENTED));
console.log(`wrote ${kmsDoc}`);
