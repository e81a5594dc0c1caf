/**
 * The AWS Backup operations Coffer serves and how completely, by operation name. This is the
 * source of docs/api-coverage.md (scripts/gen-api-coverage.mjs). Placeholder until the Backup
 * handlers land: an operation absent here answers 501 NotImplementedException naming it.
 */
export const IMPLEMENTED: Readonly<Record<string, 'implemented' | 'partial' | 'planned'>> = {};
