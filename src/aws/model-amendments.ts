/**
 * Where a botocore model is stricter than the service it describes, the amended shapes Coffer
 * validates with instead. Each amendment says which documented behaviour needs it; the model
 * files themselves stay botocore's, byte for byte.
 *
 * - The job summaries' AccountId: the model gives it the account-id pattern, but AWS's API
 *   reference lets it be ANY (one row per organization account) or AGGREGATE_ALL (their sum).
 * - ResourceType: the model's pattern has no space, but AWS's own names of three types have one
 *   ("Storage Gateway", "Redshift Serverless", "SAP HANA on Amazon EC2"); AWS lists them in
 *   DescribeRegionSettings and accepts them in UpdateRegionSettings and the ByResourceType filters.
 */
import type { ServiceModel, Shape } from './service-model.js';

const SUMMARY_INPUTS = ['ListBackupJobSummariesInput', 'ListCopyJobSummariesInput', 'ListRestoreJobSummariesInput', 'ListScanJobSummariesInput'];
const SUMMARY_ACCOUNT_ID = 'CofferSummaryAccountId';

export function amendBackupModel(model: ServiceModel): ServiceModel {
  const shapes: Record<string, Shape> = { ...model.shapes, [SUMMARY_ACCOUNT_ID]: { type: 'string', pattern: '^([0-9]{12}|ANY|AGGREGATE_ALL)$' } as Shape };
  const resourceType = shapes['ResourceType'];
  if (resourceType?.type === 'string') shapes['ResourceType'] = { ...resourceType, pattern: '^[a-zA-Z0-9\\-\\_\\. ]{1,50}$' };
  for (const name of SUMMARY_INPUTS) {
    const input = shapes[name];
    if (input === undefined || input.type !== 'structure') continue;
    const accountId = input.members['AccountId'];
    if (accountId === undefined) continue;
    shapes[name] = { ...input, members: { ...input.members, AccountId: { ...accountId, shape: SUMMARY_ACCOUNT_ID } } };
  }
  return { ...model, shapes };
}
