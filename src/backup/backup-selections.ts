/**
 * Backup selections: which resources a plan backs up. Create (idempotent by CreatorRequestId;
 * the plan must exist and be live; one name per plan), get, list, delete. AWS has no update.
 */
import { CatalogConflictError } from '../catalog/catalog-error.js';
import type { Catalog } from '../catalog/catalog.js';
import type { JsonObject } from '../catalog/json-text.js';
import type { SelectionRecord } from '../catalog/selections.js';
import { BackupError } from './backup-error.js';
import { planNotFound } from './backup-plans.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';
import { checkPassRole } from './pass-role.js';
import type { Fields } from './document-fields.js';
import type { IdSource } from './id-source.js';
import type { ResourceLookup } from './protected-resource.js';
import { everyItem } from '../catalog/pagination.js';
import { listPage } from './list-page.js';
import type { ListPage, ListRequest } from './list-page.js';
import { checkSelectionDocument } from './selection-document.js';
import type { SelectionDocument } from './selection-document.js';
import { namedResources, unknownNamedResources, unknownResourcesFix, unknownResourcesMessage } from './unknown-resources.js';

export interface BackupSelection {
  readonly id: string;
  readonly planId: string;
  readonly document: SelectionDocument;
  readonly creatorRequestId: string | undefined;
  readonly creationDate: Date;
}

export interface NewSelectionRequest {
  readonly selection: Fields;
  readonly creatorRequestId?: string | undefined;
}

export interface SelectionService {
  create(scope: CallScope, planId: string, request: NewSelectionRequest): Promise<BackupSelection>;
  get(scope: CallScope, planId: string, selectionId: string): Promise<BackupSelection>;
  list(scope: CallScope, planId: string, request: ListRequest): Promise<ListPage<BackupSelection>>;
  delete(scope: CallScope, planId: string, selectionId: string): Promise<void>;
}

export interface SelectionServiceDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** The configured resources, by ARN: a selection naming one Coffer does not know is warned about. */
  readonly resources?: ResourceLookup | undefined;
  /** Where that warning goes (the server's log). */
  readonly warn?: ((line: string) => void) | undefined;
}

function toSelection(record: SelectionRecord): BackupSelection {
  return {
    id: record.id,
    planId: record.planId,
    document: record.document as unknown as SelectionDocument,
    creatorRequestId: record.creatorRequestId,
    creationDate: new Date(record.createdAt),
  };
}

/** AWS's quota: resource assignments (selections) per backup plan, not adjustable. */
export const MAX_SELECTIONS = 100;

export function createSelectionService({ catalog, clock, ids, resources, warn }: SelectionServiceDeps): SelectionService {
  const notFound = (scope: CallScope, planId: string, selectionId: string) =>
    new BackupError(
      'SelectionNotFound',
      `Backup selection ${selectionId} of plan ${planId} does not exist in account ${scope.accountId}, region ${scope.region}. ListBackupSelections lists a plan's selections.`,
      { context: selectionId },
    );

  /** The live plan, or (for a create, which AWS answers with InvalidParameterValueException) SelectionPlanNotFound. */
  const planForCreate = async (scope: CallScope, planId: string): Promise<void> => {
    const plan = await catalog.plans.get(scope, planId);
    if (plan !== undefined && plan.deletedAt === undefined) return;
    throw new BackupError(
      'SelectionPlanNotFound',
      `BackupPlanId ${planId}: no such backup plan in account ${scope.accountId}, region ${scope.region}; create the plan first (CreateBackupPlan) and use the BackupPlanId it returns.`,
      { context: planId },
    );
  };

  const earlierCreate = async (
    stores: Pick<Catalog, 'selections'>,
    scope: CallScope,
    planId: string,
    request: NewSelectionRequest,
    name: string,
  ): Promise<SelectionRecord | undefined> => {
    if (request.creatorRequestId === undefined) return undefined;
    const earlier = await stores.selections.findByCreatorRequestId(scope, planId, request.creatorRequestId);
    if (earlier === undefined || earlier.name === name) return earlier;
    throw new BackupError(
      'CreatorRequestIdReused',
      `CreatorRequestId ${JSON.stringify(request.creatorRequestId)} was already used to create selection ${earlier.name} (${earlier.id}); use a new CreatorRequestId for selection ${name}.`,
      { context: request.creatorRequestId },
    );
  };

  const refuseDuplicateName = async (stores: Pick<Catalog, 'selections'>, scope: CallScope, planId: string, name: string): Promise<void> => {
    for await (const same of everyItem((page) => stores.selections.list(scope, planId, page))) {
      if (same.name === name) {
        throw new BackupError(
          'SelectionAlreadyExists',
          `Backup plan ${planId} already has a selection named ${name} (${same.id}); choose another SelectionName, or delete that selection first.`,
          { context: name, details: { SelectionId: same.id } },
        );
      }
    }
  };

  /** The log line for the resources the selection names that Coffer does not know (AWS's answer has no room for it). */
  const warnOfUnknown = async (scope: CallScope, planId: string, document: SelectionDocument): Promise<void> => {
    if (resources === undefined || warn === undefined) return;
    const known = new Set<string>();
    for (const arn of namedResources(document)) {
      const found = await resources(arn);
      if (found !== undefined && found.accountId === scope.accountId && found.region === scope.region) known.add(arn);
    }
    const unknown = unknownNamedResources(document, (arn) => known.has(arn));
    if (unknown.length > 0)
      warn(`coffer: warning: backup plan ${planId}: ${unknownResourcesMessage(scope, document.SelectionName, unknown)} ${unknownResourcesFix(unknown)}`);
  };

  return {
    async create(scope, planId, request) {
      const document = checkSelectionDocument(request.selection);
      await planForCreate(scope, planId);
      await checkPassRole(catalog, clock, scope, document.IamRoleArn);
      await warnOfUnknown(scope, planId, document);
      try {
        // Checks and insert in one transaction: a concurrent twin finds the first selection.
        return toSelection(
          await catalog.transaction(async (tx) => {
            const earlier = await earlierCreate(tx, scope, planId, request, document.SelectionName);
            if (earlier !== undefined) return earlier;
            await refuseDuplicateName(tx, scope, planId, document.SelectionName);
            if ((await tx.selections.list(scope, planId, { limit: MAX_SELECTIONS })).items.length >= MAX_SELECTIONS) {
              throw new BackupError(
                'TooManySelections',
                `Backup plan ${planId} already has ${MAX_SELECTIONS} selections (resource assignments), the most AWS Backup allows per plan. Name more resources in one selection (several ARNs, a wildcard or tags), or delete a selection you no longer use (DeleteBackupSelection).`,
                { context: planId },
              );
            }
            return tx.selections.create(scope, {
              id: ids.uuid(),
              planId,
              name: document.SelectionName,
              iamRoleArn: document.IamRoleArn,
              document: document as unknown as JsonObject,
              createdAt: clock.now().getTime(),
              ...(request.creatorRequestId === undefined ? {} : { creatorRequestId: request.creatorRequestId }),
            });
          }),
        );
      } catch (err) {
        if (err instanceof CatalogConflictError)
          throw new BackupError('SelectionAlreadyExists', `A selection with this ID already exists in plan ${planId}; repeat the call.`, { context: planId });
        throw err;
      }
    },

    async get(scope, planId, selectionId) {
      const record = await catalog.selections.get(scope, planId, selectionId);
      if (record === undefined) throw notFound(scope, planId, selectionId);
      return toSelection(record);
    },

    async list(scope, planId, request) {
      if ((await catalog.plans.get(scope, planId)) === undefined) throw planNotFound(scope, planId);
      return listPage(request, (p) => catalog.selections.list(scope, planId, p), toSelection);
    },

    async delete(scope, planId, selectionId) {
      if (!(await catalog.selections.delete(scope, planId, selectionId))) throw notFound(scope, planId, selectionId);
    },
  };
}
