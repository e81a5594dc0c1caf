/**
 * CreateLegalHold, GetLegalHold, ListLegalHolds, CancelLegalHold, ListRecoveryPointsByLegalHold:
 * wire shapes to the domain's legal holds (RecoveryPointSelection in both directions).
 */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { LegalHold, LegalHoldSelection } from '../../../backup/legal-hold.js';
import type { OperationHandler } from '../../http-handler.js';
import { listRequestOf, optionalInteger, optionalStringMap, optionalString, requiredString, scopeOf } from './wire-input.js';
import type { WireInput } from './wire-input.js';

function selectionIn(input: WireInput): LegalHoldSelection | undefined {
  const value = input['RecoveryPointSelection'] as
    | { VaultNames?: string[]; ResourceIdentifiers?: string[]; DateRange?: { FromDate: Date; ToDate: Date } }
    | undefined;
  if (value === undefined) return undefined;
  return {
    ...(value.VaultNames === undefined ? {} : { vaultNames: value.VaultNames }),
    ...(value.ResourceIdentifiers === undefined ? {} : { resourceIdentifiers: value.ResourceIdentifiers }),
    ...(value.DateRange === undefined ? {} : { dateRange: { from: value.DateRange.FromDate, to: value.DateRange.ToDate } }),
  };
}

function selectionOut(selection: LegalHoldSelection | undefined): Record<string, unknown> | undefined {
  if (selection === undefined) return undefined;
  return {
    VaultNames: selection.vaultNames,
    ResourceIdentifiers: selection.resourceIdentifiers,
    DateRange: selection.dateRange === undefined ? undefined : { FromDate: selection.dateRange.from, ToDate: selection.dateRange.to },
  };
}

function holdSummary(hold: LegalHold): Record<string, unknown> {
  return {
    Title: hold.title,
    Status: hold.status,
    Description: hold.description,
    LegalHoldId: hold.id,
    LegalHoldArn: hold.arn,
    CreationDate: hold.createdAt,
    CancellationDate: hold.cancelledAt,
  };
}

export function legalHoldHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const holds = domain.legalHolds;
  return {
    async CreateLegalHold(ctx, input) {
      const hold = await holds.create(scopeOf(ctx), {
        title: requiredString(input, 'Title'),
        description: requiredString(input, 'Description'),
        idempotencyToken: optionalString(input, 'IdempotencyToken'),
        selection: selectionIn(input),
        tags: optionalStringMap(input, 'Tags'),
      });
      const { CancellationDate: _cancelled, ...summary } = holdSummary(hold);
      return { ...summary, RecoveryPointSelection: selectionOut(hold.selection) };
    },

    async GetLegalHold(ctx, input) {
      const hold = await holds.get(scopeOf(ctx), requiredString(input, 'LegalHoldId'));
      return {
        ...holdSummary(hold),
        CancelDescription: hold.cancelDescription,
        RetainRecordUntil: hold.retainRecordUntil,
        RecoveryPointSelection: selectionOut(hold.selection),
      };
    },

    async ListLegalHolds(ctx, input) {
      const page = await holds.list(scopeOf(ctx), listRequestOf(input));
      return { LegalHolds: page.items.map(holdSummary), NextToken: page.nextToken };
    },

    async CancelLegalHold(ctx, input) {
      await holds.cancel(
        scopeOf(ctx),
        requiredString(input, 'LegalHoldId'),
        requiredString(input, 'CancelDescription'),
        optionalInteger(input, 'RetainRecordInDays'),
      );
    },

    async ListRecoveryPointsByLegalHold(ctx, input) {
      const page = await holds.listRecoveryPoints(scopeOf(ctx), requiredString(input, 'LegalHoldId'), listRequestOf(input));
      return {
        RecoveryPoints: page.items.map((p) => ({
          RecoveryPointArn: p.recoveryPointArn,
          ResourceArn: p.resourceArn,
          ResourceType: p.resourceType,
          BackupVaultName: p.vaultName,
        })),
        NextToken: page.nextToken,
      };
    },
  };
}
