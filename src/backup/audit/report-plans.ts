/**
 * Report plans (CreateReportPlan, DescribeReportPlan, ListReportPlans, UpdateReportPlan,
 * DeleteReportPlan): which template, for which frameworks, accounts and regions, delivered to
 * which bucket (S3BucketName, S3KeyPrefix) in which formats (CSV, the default, and/or JSON).
 * Deployed at once (DeploymentStatus COMPLETED). The setting and channel are kept as given.
 */
import { CatalogConflictError } from '../../catalog/catalog-error.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { JsonObject } from '../../catalog/json-text.js';
import { everyItem } from '../../catalog/pagination.js';
import type { ReportPlanRecord } from '../../catalog/report-plans.js';
import { formatArn, parseArn, PARTITION } from '../../iam/arn.js';
import { BackupError } from '../backup-error.js';
import type { CallScope } from '../call-scope.js';
import type { Clock } from '../clock.js';
import type { BackupOrganization } from '../global-settings.js';
import type { IdSource } from '../id-source.js';
import { listPage } from '../list-page.js';
import type { ListPage, ListRequest } from '../list-page.js';
import { checkTags } from '../tag-rules.js';
import type { Tags } from '../tag-rules.js';
import { checkAuditName } from './frameworks.js';
import { COMPLIANCE_TEMPLATES, REPORT_TEMPLATES } from './report-content.js';

/** AWS's quota: report plans per account and region. */
export const MAX_REPORT_PLANS = 20;

export interface ReportSetting {
  readonly ReportTemplate: string;
  readonly FrameworkArns?: readonly string[];
  readonly NumberOfFrameworks?: number;
  readonly Accounts?: readonly string[];
  readonly OrganizationUnits?: readonly string[];
  readonly Regions?: readonly string[];
}

export interface ReportDeliveryChannel {
  readonly S3BucketName: string;
  readonly S3KeyPrefix?: string;
  readonly Formats?: readonly string[];
}

export interface ReportPlan {
  readonly name: string;
  readonly arn: string;
  readonly description: string | undefined;
  readonly setting: ReportSetting;
  readonly delivery: ReportDeliveryChannel;
  readonly deploymentStatus: 'COMPLETED';
  readonly createdAt: Date;
  readonly lastAttemptedAt: Date | undefined;
  readonly lastSucceededAt: Date | undefined;
  readonly idempotencyToken: string | undefined;
  readonly accountId: string;
  readonly region: string;
}

export interface NewReportPlanRequest {
  readonly name: string;
  readonly description?: string | undefined;
  readonly setting: ReportSetting;
  readonly delivery: ReportDeliveryChannel;
  readonly tags?: Tags | undefined;
  readonly idempotencyToken?: string | undefined;
}

export interface ReportPlanUpdateRequest {
  readonly description?: string | undefined;
  readonly setting?: ReportSetting | undefined;
  readonly delivery?: ReportDeliveryChannel | undefined;
}

export interface ReportPlanService {
  create(scope: CallScope, request: NewReportPlanRequest): Promise<ReportPlan>;
  describe(scope: CallScope, name: string): Promise<ReportPlan>;
  list(scope: CallScope, request: ListRequest): Promise<ListPage<ReportPlan>>;
  update(scope: CallScope, name: string, request: ReportPlanUpdateRequest): Promise<ReportPlan>;
  delete(scope: CallScope, name: string): Promise<void>;
}

export interface ReportPlanDeps {
  readonly catalog: Catalog;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly organization?: BackupOrganization | undefined;
}

const FORMATS = ['CSV', 'JSON'];
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

export function reportPlanOfRecord(record: ReportPlanRecord): ReportPlan {
  return {
    name: record.name,
    arn: record.arn,
    description: record.description,
    setting: record.setting as unknown as ReportSetting,
    delivery: record.delivery as unknown as ReportDeliveryChannel,
    deploymentStatus: 'COMPLETED',
    createdAt: new Date(record.createdAt),
    lastAttemptedAt: date(record.lastAttemptedAt),
    lastSucceededAt: date(record.lastSucceededAt),
    idempotencyToken: record.idempotencyToken,
    accountId: record.accountId,
    region: record.region,
  };
}

export function reportPlanNotFound(scope: CallScope, name: string): BackupError {
  return new BackupError(
    'ReportPlanNotFound',
    `Report plan ${name} does not exist in account ${scope.accountId}, region ${scope.region} (ListReportPlans lists them).`,
    { context: name },
  );
}

const invalid = (message: string, member: string) => new BackupError('InvalidParameter', message, { context: member });

function checkDelivery(delivery: ReportDeliveryChannel): void {
  if (!BUCKET.test(delivery.S3BucketName)) {
    throw invalid(
      `ReportDeliveryChannel.S3BucketName ${JSON.stringify(delivery.S3BucketName)} is not an S3 bucket name (3-63 of a-z, 0-9, '.', '-').`,
      'ReportDeliveryChannel.S3BucketName',
    );
  }
  const formats = delivery.Formats ?? [];
  const bad = formats.find((f) => !FORMATS.includes(f));
  if (bad !== undefined)
    throw invalid(`ReportDeliveryChannel.Formats has ${JSON.stringify(bad)}; the formats are CSV and JSON.`, 'ReportDeliveryChannel.Formats');
  if (new Set(formats).size !== formats.length) throw invalid('ReportDeliveryChannel.Formats names a format twice.', 'ReportDeliveryChannel.Formats');
  if ((delivery.S3KeyPrefix ?? '').split('/').includes('..'))
    throw invalid('ReportDeliveryChannel.S3KeyPrefix may not contain "..".', 'ReportDeliveryChannel.S3KeyPrefix');
}

export function createReportPlanService(deps: ReportPlanDeps): ReportPlanService {
  const { catalog, clock, ids } = deps;
  const require = async (scope: CallScope, name: string): Promise<ReportPlanRecord> => {
    const record = await catalog.reportPlans.get(scope, name);
    if (record === undefined) throw reportPlanNotFound(scope, name);
    return record;
  };

  const checkSetting = async (scope: CallScope, setting: ReportSetting): Promise<void> => {
    if (!REPORT_TEMPLATES.includes(setting.ReportTemplate)) {
      throw invalid(
        `ReportSetting.ReportTemplate ${JSON.stringify(setting.ReportTemplate)} is not a report template; use one of ${REPORT_TEMPLATES.join(', ')}.`,
        'ReportSetting.ReportTemplate',
      );
    }
    const compliance = (COMPLIANCE_TEMPLATES as readonly string[]).includes(setting.ReportTemplate);
    const frameworks = setting.FrameworkArns ?? [];
    if (compliance && frameworks.length === 0) {
      throw invalid(`ReportSetting.FrameworkArns is required for ${setting.ReportTemplate}: name the frameworks to report on.`, 'ReportSetting.FrameworkArns');
    }
    if (!compliance && frameworks.length > 0) {
      throw invalid(`ReportSetting.FrameworkArns is only for the compliance reports, not ${setting.ReportTemplate}.`, 'ReportSetting.FrameworkArns');
    }
    for (const arn of frameworks) {
      const parsed = parseArn(arn);
      const name = parsed?.resource.startsWith('framework:') === true ? parsed.resource.slice('framework:'.length).split('-')[0]! : undefined;
      const found =
        name === undefined || parsed === undefined ? undefined : await catalog.frameworks.get({ accountId: parsed.accountId, region: parsed.region }, name);
      if (found?.arn !== arn || parsed?.accountId !== scope.accountId) {
        throw invalid(`ReportSetting.FrameworkArns names ${arn}, which is not a framework of account ${scope.accountId}.`, 'ReportSetting.FrameworkArns');
      }
    }
    const isManagement = deps.organization?.managementAccountId === scope.accountId;
    for (const account of setting.Accounts ?? []) {
      if (account === scope.accountId) continue;
      if (!isManagement) {
        throw invalid(
          `ReportSetting.Accounts names ${account}: only the organization's management account reports on other accounts.`,
          'ReportSetting.Accounts',
        );
      }
      if (account !== '*' && account !== 'ROOT' && !(deps.organization?.memberAccountIds ?? []).includes(account)) {
        throw invalid(`ReportSetting.Accounts names ${account}, which is not an account of the organization.`, 'ReportSetting.Accounts');
      }
    }
  };

  const service: ReportPlanService = {
    async create(scope, request) {
      checkAuditName(request.name, 'ReportPlanName');
      await checkSetting(scope, request.setting);
      checkDelivery(request.delivery);
      if (request.tags !== undefined) checkTags(request.tags, 'ReportPlanTags');
      const existing = await catalog.reportPlans.get(scope, request.name);
      if (existing !== undefined) {
        if (request.idempotencyToken !== undefined && existing.idempotencyToken === request.idempotencyToken) return reportPlanOfRecord(existing);
        throw new BackupError('ReportPlanAlreadyExists', `Report plan ${request.name} already exists in account ${scope.accountId}, region ${scope.region}.`, {
          context: request.name,
          details: { Arn: existing.arn },
        });
      }
      let count = 0;
      for await (const _ of everyItem((page) => catalog.reportPlans.list(scope, page))) count += 1;
      if (count >= MAX_REPORT_PLANS) {
        throw new BackupError('TooManyReportPlans', `Account ${scope.accountId} has ${count} report plans in ${scope.region}, AWS's limit; delete one first.`, {
          context: request.name,
        });
      }
      const arn = formatArn({
        partition: PARTITION,
        service: 'backup',
        region: scope.region,
        accountId: scope.accountId,
        resource: `report-plan:${request.name}-${ids.uuid()}`,
      });
      const now = clock.now().getTime();
      let record: ReportPlanRecord;
      try {
        record = await catalog.reportPlans.create(scope, {
          name: request.name,
          arn,
          description: request.description,
          setting: request.setting as unknown as JsonObject,
          delivery: request.delivery as unknown as JsonObject,
          idempotencyToken: request.idempotencyToken,
          createdAt: now,
          updatedAt: now,
        });
      } catch (err) {
        if (err instanceof CatalogConflictError) return service.create(scope, request);
        throw err;
      }
      if (request.tags !== undefined && Object.keys(request.tags).length > 0) await catalog.tags.tag(scope, arn, request.tags);
      return reportPlanOfRecord(record);
    },

    describe: async (scope, name) => reportPlanOfRecord(await require(scope, name)),

    list: (scope, request) => listPage(request, (page) => catalog.reportPlans.list(scope, page), reportPlanOfRecord),

    async update(scope, name, request) {
      const current = reportPlanOfRecord(await require(scope, name));
      const setting = request.setting ?? current.setting;
      const delivery = request.delivery ?? current.delivery;
      await checkSetting(scope, setting);
      checkDelivery(delivery);
      const updated = await catalog.reportPlans.update(scope, name, {
        description: request.description,
        setting: request.setting as unknown as JsonObject | undefined,
        delivery: request.delivery as unknown as JsonObject | undefined,
        updatedAt: clock.now().getTime(),
      });
      if (updated === undefined) throw reportPlanNotFound(scope, name);
      return reportPlanOfRecord(updated);
    },

    async delete(scope, name) {
      const record = await require(scope, name);
      await catalog.reportPlans.delete(scope, name);
      await catalog.tags.untag(scope, record.arn, Object.keys(await catalog.tags.get(scope, record.arn)));
    },
  };
  return service;
}
