/** CreateBackupSelection, GetBackupSelection, DeleteBackupSelection, ListBackupSelections (AWS has no update). */
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { listRequestOf, optionalString, requiredString, scopeOf } from './wire-input.js';
import type { WireInput } from './wire-input.js';

export function selectionHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const selections = domain.selections;
  return {
    async CreateBackupSelection(ctx, input) {
      const selection = await selections.create(scopeOf(ctx), requiredString(input, 'BackupPlanId'), {
        selection: (input['BackupSelection'] ?? {}) as WireInput,
        creatorRequestId: optionalString(input, 'CreatorRequestId'),
      });
      return { SelectionId: selection.id, BackupPlanId: selection.planId, CreationDate: selection.creationDate };
    },

    async GetBackupSelection(ctx, input) {
      const selection = await selections.get(scopeOf(ctx), requiredString(input, 'BackupPlanId'), requiredString(input, 'SelectionId'));
      return {
        BackupSelection: selection.document,
        SelectionId: selection.id,
        BackupPlanId: selection.planId,
        CreationDate: selection.creationDate,
        CreatorRequestId: selection.creatorRequestId,
      };
    },

    async DeleteBackupSelection(ctx, input) {
      await selections.delete(scopeOf(ctx), requiredString(input, 'BackupPlanId'), requiredString(input, 'SelectionId'));
    },

    async ListBackupSelections(ctx, input) {
      const page = await selections.list(scopeOf(ctx), requiredString(input, 'BackupPlanId'), listRequestOf(input));
      return {
        BackupSelectionsList: page.items.map((s) => ({
          SelectionId: s.id,
          SelectionName: s.document.SelectionName,
          BackupPlanId: s.planId,
          CreationDate: s.creationDate,
          CreatorRequestId: s.creatorRequestId,
          IamRoleArn: s.document.IamRoleArn,
        })),
        NextToken: page.nextToken,
      };
    },
  };
}
