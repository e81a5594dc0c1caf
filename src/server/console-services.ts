/**
 * What the console's `/_coffer/` endpoints answer (console-endpoints.ts), from the config, the
 * resource registry, the region settings and the domain's clock.
 */
import { SANDBOX_ACCOUNT_ID } from '../aws/http-handler.js';
import type { Clock } from '../backup/clock.js';
import { previewSchedule } from '../backup/schedule-preview.js';
import { previewSelection, resourcesOfScope } from '../backup/selection-preview.js';
import type { SelectionPreviewDeps } from '../backup/selection-preview.js';
import type { ProtectedResource } from '../backup/protected-resource.js';
import type { CofferConfig } from '../config/schema.js';
import type { ConsoleServices } from './console-endpoints.js';

/** In sandbox mode this key is not configured, so it acts as the sandbox account unchecked. */
export const SANDBOX_CONSOLE_KEY = { accessKeyId: 'coffer-console-sandbox', secretAccessKey: 'sandbox' } as const;

export interface ConsoleServiceDeps extends SelectionPreviewDeps {
  readonly config: () => CofferConfig;
  readonly sandbox: boolean;
  readonly manualClock: boolean;
  readonly clock: Clock;
}

const resourceView = (r: ProtectedResource) => ({ arn: r.arn, type: r.type, name: r.name, tags: r.tags });

export function createConsoleServices(deps: ConsoleServiceDeps): ConsoleServices {
  return {
    session: () => ({
      sandbox: deps.sandbox,
      regions: deps.config().regions.map((r) => r.name),
      clock: { mode: deps.manualClock ? 'manual' : 'real', now: deps.clock.now().toISOString() },
      ...(deps.sandbox ? { sandboxCredentials: { ...SANDBOX_CONSOLE_KEY, accountId: SANDBOX_ACCOUNT_ID } } : {}),
    }),
    whoami: (signer) => {
      const config = deps.config();
      const account = config.accounts.find((a) => a.id === signer.accountId);
      const org = config.organization;
      const member = org !== undefined && account !== undefined;
      return {
        accountId: signer.accountId,
        accountName: account?.name ?? (signer.accountId === SANDBOX_ACCOUNT_ID ? 'sandbox' : undefined),
        region: signer.region,
        regions: config.regions.map((r) => r.name),
        organization: member
          ? {
              id: org.id,
              managementAccountId: org.managementAccount,
              isManagementAccount: org.managementAccount === signer.accountId,
              accounts: config.accounts.map((a) => ({ id: a.id, name: a.name })),
            }
          : null,
      };
    },
    resources: async (signer) => {
      const { resources, optIn } = await resourcesOfScope(deps, signer);
      return { resources: resources.map(resourceView), optIn };
    },
    matchSelection: async (signer, draft) => ({ resources: (await previewSelection(deps, signer, draft)).map(resourceView) }),
    previewSchedule: (expression, timezone, count) => {
      const preview = previewSchedule(expression, timezone, deps.clock.now(), count);
      return { expression: preview.expression, timezone: preview.timezone, runs: preview.runs.map((d) => d.toISOString()) };
    },
  };
}
