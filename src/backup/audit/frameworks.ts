/**
 * Audit frameworks (CreateFramework, DescribeFramework, ListFrameworks, UpdateFramework,
 * DeleteFramework) and their evaluation. Coffer deploys a framework synchronously: it is
 * DeploymentStatus COMPLETED when the call returns, and FrameworkStatus ACTIVE (Coffer records
 * every resource it evaluates, so no resource is ever untracked). A framework's compliance is
 * computed when asked (the compliance reports), from the catalog's state at that moment.
 */
import { CatalogConflictError } from '../../catalog/catalog-error.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { FrameworkRecord } from '../../catalog/audit-frameworks.js';
import { everyItem } from '../../catalog/pagination.js';
import type { JsonValue } from '../../catalog/json-text.js';
import { formatArn, PARTITION } from '../../iam/arn.js';
import { BackupError } from '../backup-error.js';
import type { CallScope } from '../call-scope.js';
import type { Clock } from '../clock.js';
import type { IdSource } from '../id-source.js';
import { listPage } from '../list-page.js';
import type { ListPage, ListRequest } from '../list-page.js';
import { checkTags } from '../tag-rules.js';
import type { Tags } from '../tag-rules.js';
import { gatherAuditState } from './audit-state.js';
import type { AuditStateDeps } from './audit-state.js';
import { controlStatus, evaluateControl } from './control-evaluation.js';
import type { ComplianceResult, ComplianceStatus } from './control-evaluation.js';
import { checkControls } from './controls.js';
import type { FrameworkControl } from './controls.js';

/** AWS's quota: frameworks per account and region. */
export const MAX_FRAMEWORKS = 10;

export interface Framework {
  readonly name: string;
  readonly arn: string;
  readonly description: string | undefined;
  readonly controls: readonly FrameworkControl[];
  readonly createdAt: Date;
  readonly deploymentStatus: 'COMPLETED';
  readonly frameworkStatus: 'ACTIVE';
  readonly idempotencyToken: string | undefined;
}

export interface NewFrameworkRequest {
  readonly name: string;
  readonly description?: string | undefined;
  readonly controls: readonly FrameworkControl[];
  readonly idempotencyToken?: string | undefined;
  readonly tags?: Tags | undefined;
}

export interface FrameworkUpdateRequest {
  readonly description?: string | undefined;
  readonly controls?: readonly FrameworkControl[] | undefined;
}

export interface ControlCompliance {
  readonly control: FrameworkControl;
  readonly status: ComplianceStatus;
  readonly results: readonly ComplianceResult[];
}

export interface FrameworkCompliance {
  readonly framework: Framework;
  readonly status: ComplianceStatus;
  readonly controls: readonly ControlCompliance[];
  readonly evaluatedAt: Date;
}

export interface FrameworkService {
  create(scope: CallScope, request: NewFrameworkRequest): Promise<Framework>;
  describe(scope: CallScope, name: string): Promise<Framework>;
  list(scope: CallScope, request: ListRequest): Promise<ListPage<Framework>>;
  update(scope: CallScope, name: string, request: FrameworkUpdateRequest): Promise<Framework>;
  delete(scope: CallScope, name: string): Promise<void>;
  /** Every control of the framework evaluated now. */
  evaluate(scope: CallScope, name: string): Promise<FrameworkCompliance>;
}

export interface FrameworkDeps extends AuditStateDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly ids: IdSource;
}

type StoredControl = {
  name: string;
  parameters: { name: string; value: string }[];
  scope?: { resourceIds?: string[]; resourceTypes?: string[]; tags?: Record<string, string> };
};

function storedControls(controls: readonly FrameworkControl[]): JsonValue {
  return controls.map(
    (c): StoredControl => ({
      name: c.name,
      parameters: c.parameters.map((p) => ({ name: p.name, value: p.value })),
      ...(c.scope === undefined
        ? {}
        : {
            scope: {
              ...(c.scope.resourceIds === undefined ? {} : { resourceIds: [...c.scope.resourceIds] }),
              ...(c.scope.resourceTypes === undefined ? {} : { resourceTypes: [...c.scope.resourceTypes] }),
              ...(c.scope.tags === undefined ? {} : { tags: { ...c.scope.tags } }),
            },
          }),
    }),
  ) as unknown as JsonValue;
}

export function frameworkOfRecord(record: FrameworkRecord): Framework {
  return {
    name: record.name,
    arn: record.arn,
    description: record.description,
    controls: record.controls as unknown as FrameworkControl[],
    createdAt: new Date(record.createdAt),
    deploymentStatus: 'COMPLETED',
    frameworkStatus: 'ACTIVE',
    idempotencyToken: record.idempotencyToken,
  };
}

export function frameworkNotFound(scope: CallScope, name: string): BackupError {
  return new BackupError(
    'FrameworkNotFound',
    `Framework ${name} does not exist in account ${scope.accountId}, region ${scope.region} (ListFrameworks lists them).`,
    {
      context: name,
    },
  );
}

/** AWS's rule for framework and report plan names (the model's pattern is not anchored). */
export function checkAuditName(name: string, member: string): void {
  if (!/^[a-zA-Z][_a-zA-Z0-9]{0,255}$/.test(name)) {
    throw new BackupError(
      'InvalidParameter',
      `${member} ${JSON.stringify(name)} is not valid: start with a letter, then letters, digits and underscores only (up to 256).`,
      {
        context: member,
      },
    );
  }
}

export function createFrameworkService(deps: FrameworkDeps): FrameworkService {
  const { catalog, clock, ids } = deps;
  const require = async (scope: CallScope, name: string): Promise<FrameworkRecord> => {
    const record = await catalog.frameworks.get(scope, name);
    if (record === undefined) throw frameworkNotFound(scope, name);
    return record;
  };
  const service: FrameworkService = {
    async create(scope, request) {
      checkAuditName(request.name, 'FrameworkName');
      checkControls(request.controls);
      if (request.tags !== undefined) checkTags(request.tags, 'FrameworkTags');
      const existing = await catalog.frameworks.get(scope, request.name);
      if (existing !== undefined) {
        if (request.idempotencyToken !== undefined && existing.idempotencyToken === request.idempotencyToken) return frameworkOfRecord(existing);
        throw new BackupError('FrameworkAlreadyExists', `Framework ${request.name} already exists in account ${scope.accountId}, region ${scope.region}.`, {
          context: request.name,
          details: { Arn: existing.arn },
        });
      }
      let count = 0;
      for await (const _ of everyItem((page) => catalog.frameworks.list(scope, page))) count += 1;
      if (count >= MAX_FRAMEWORKS) {
        throw new BackupError('TooManyFrameworks', `Account ${scope.accountId} has ${count} frameworks in ${scope.region}, AWS's limit; delete one first.`, {
          context: request.name,
        });
      }
      const arn = formatArn({
        partition: PARTITION,
        service: 'backup',
        region: scope.region,
        accountId: scope.accountId,
        resource: `framework:${request.name}-${ids.uuid()}`,
      });
      const now = clock.now().getTime();
      let record: FrameworkRecord;
      try {
        record = await catalog.frameworks.create(scope, {
          name: request.name,
          arn,
          description: request.description,
          controls: storedControls(request.controls),
          idempotencyToken: request.idempotencyToken,
          createdAt: now,
          updatedAt: now,
        });
      } catch (err) {
        if (err instanceof CatalogConflictError) return service.create(scope, request);
        throw err;
      }
      if (request.tags !== undefined && Object.keys(request.tags).length > 0) await catalog.tags.tag(scope, arn, request.tags);
      return frameworkOfRecord(record);
    },

    describe: async (scope, name) => frameworkOfRecord(await require(scope, name)),

    list: (scope, request) => listPage(request, (page) => catalog.frameworks.list(scope, page), frameworkOfRecord),

    async update(scope, name, request) {
      if (request.controls !== undefined) checkControls(request.controls);
      await require(scope, name);
      const updated = await catalog.frameworks.update(scope, name, {
        description: request.description,
        controls: request.controls === undefined ? undefined : storedControls(request.controls),
        updatedAt: clock.now().getTime(),
      });
      if (updated === undefined) throw frameworkNotFound(scope, name);
      return frameworkOfRecord(updated);
    },

    async delete(scope, name) {
      const record = await require(scope, name);
      for await (const plan of everyItem((page) => catalog.reportPlans.list(scope, page))) {
        const arns = (plan.setting['FrameworkArns'] as string[] | undefined) ?? [];
        if (arns.includes(record.arn)) {
          throw new BackupError('FrameworkInUse', `Framework ${name} is named by report plan ${plan.name}; update or delete the report plan first.`, {
            context: name,
          });
        }
      }
      await catalog.frameworks.delete(scope, name);
      await catalog.tags.untag(scope, record.arn, Object.keys(await catalog.tags.get(scope, record.arn)));
    },

    async evaluate(scope, name) {
      const framework = frameworkOfRecord(await require(scope, name));
      const now = clock.now();
      const state = await gatherAuditState(deps, scope, now.getTime());
      const controls = framework.controls.map((control) => {
        const results = evaluateControl(control, state);
        return { control, status: controlStatus(results), results };
      });
      return { framework, status: controls.every((c) => c.status === 'COMPLIANT') ? 'COMPLIANT' : 'NON_COMPLIANT', controls, evaluatedAt: now };
    },
  };
  return service;
}
