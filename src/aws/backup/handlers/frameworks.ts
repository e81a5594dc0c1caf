/**
 * CreateFramework, DescribeFramework, ListFrameworks, UpdateFramework, DeleteFramework: the
 * FrameworkControls shapes to the domain's controls and back, exactly as the caller gave them
 * (AWS echoes a control's parameters and scope as they were put, defaults not filled in).
 */
import type { FrameworkControl } from '../../../backup/audit/controls.js';
import type { Framework } from '../../../backup/audit/frameworks.js';
import type { BackupDomain } from '../../../backup/backup-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { listRequestOf, optionalString, optionalStringMap, requiredString, scopeOf } from './wire-input.js';
import type { WireInput } from './wire-input.js';

interface WireControl {
  readonly ControlName: string;
  readonly ControlInputParameters?: readonly { readonly ParameterName?: string; readonly ParameterValue?: string }[];
  readonly ControlScope?: {
    readonly ComplianceResourceIds?: readonly string[];
    readonly ComplianceResourceTypes?: readonly string[];
    readonly Tags?: Readonly<Record<string, string>>;
  };
}

function controlsIn(input: WireInput): FrameworkControl[] | undefined {
  const value = input['FrameworkControls'] as readonly WireControl[] | undefined;
  return value?.map((c) => ({
    name: c.ControlName,
    parameters: (c.ControlInputParameters ?? []).map((p) => ({ name: p.ParameterName ?? '', value: p.ParameterValue ?? '' })),
    scope:
      c.ControlScope === undefined
        ? undefined
        : {
            ...(c.ControlScope.ComplianceResourceIds === undefined ? {} : { resourceIds: c.ControlScope.ComplianceResourceIds }),
            ...(c.ControlScope.ComplianceResourceTypes === undefined ? {} : { resourceTypes: c.ControlScope.ComplianceResourceTypes }),
            ...(c.ControlScope.Tags === undefined ? {} : { tags: c.ControlScope.Tags }),
          },
  }));
}

export function controlOut(control: FrameworkControl): Record<string, unknown> {
  return {
    ControlName: control.name,
    ControlInputParameters: control.parameters.map((p) => ({ ParameterName: p.name, ParameterValue: p.value })),
    ControlScope:
      control.scope === undefined
        ? undefined
        : { ComplianceResourceIds: control.scope.resourceIds, ComplianceResourceTypes: control.scope.resourceTypes, Tags: control.scope.tags },
  };
}

function summaryOut(framework: Framework): Record<string, unknown> {
  return {
    FrameworkName: framework.name,
    FrameworkArn: framework.arn,
    FrameworkDescription: framework.description,
    NumberOfControls: framework.controls.length,
    CreationTime: framework.createdAt,
    DeploymentStatus: framework.deploymentStatus,
  };
}

export function frameworkHandlers(domain: BackupDomain): Readonly<Record<string, OperationHandler>> {
  const frameworks = () => domain.audit.frameworks;
  return {
    async CreateFramework(ctx, input) {
      const framework = await frameworks().create(scopeOf(ctx), {
        name: requiredString(input, 'FrameworkName'),
        description: optionalString(input, 'FrameworkDescription'),
        controls: controlsIn(input) ?? [],
        idempotencyToken: optionalString(input, 'IdempotencyToken'),
        tags: optionalStringMap(input, 'FrameworkTags'),
      });
      return { FrameworkName: framework.name, FrameworkArn: framework.arn };
    },

    async DescribeFramework(ctx, input) {
      const framework = await frameworks().describe(scopeOf(ctx), requiredString(input, 'FrameworkName'));
      return {
        FrameworkName: framework.name,
        FrameworkArn: framework.arn,
        FrameworkDescription: framework.description,
        FrameworkControls: framework.controls.map(controlOut),
        CreationTime: framework.createdAt,
        DeploymentStatus: framework.deploymentStatus,
        FrameworkStatus: framework.frameworkStatus,
        IdempotencyToken: framework.idempotencyToken,
      };
    },

    async ListFrameworks(ctx, input) {
      const page = await frameworks().list(scopeOf(ctx), listRequestOf(input));
      return { Frameworks: page.items.map(summaryOut), NextToken: page.nextToken };
    },

    async UpdateFramework(ctx, input) {
      const framework = await frameworks().update(scopeOf(ctx), requiredString(input, 'FrameworkName'), {
        description: optionalString(input, 'FrameworkDescription'),
        controls: controlsIn(input),
      });
      return { FrameworkName: framework.name, FrameworkArn: framework.arn, CreationTime: framework.createdAt };
    },

    async DeleteFramework(ctx, input) {
      await frameworks().delete(scopeOf(ctx), requiredString(input, 'FrameworkName'));
    },
  };
}
