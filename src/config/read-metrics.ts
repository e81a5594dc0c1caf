/**
 * `metrics`: who may read `/metrics`. Clients on the loopback interface always may; others need
 * `Authorization: Bearer <token>` with the token from `tokenFile` or `tokenEnv`, unless `public:
 * true` opens it to everyone (the series name accounts, resources and vaults, so it is not open
 * by default).
 */
import { fieldPath } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { readMap } from './raw-fields.js';
import { readSecretField } from './read-secret-field.js';
import type { MetricsConfig } from './schema.js';

const FIELDS = ['public', 'tokenFile', 'tokenEnv'] as const;
export const DEFAULT_METRICS: MetricsConfig = { public: false, token: undefined };

export function readMetrics(value: unknown, ctx: ConfigContext): MetricsConfig {
  if (value === undefined || value === null) return DEFAULT_METRICS;
  const map = readMap(value, 'metrics', FIELDS, ctx.issues);
  if (map === undefined) return DEFAULT_METRICS;
  const open = map['public'];
  if (open !== undefined && open !== null && typeof open !== 'boolean') ctx.issues.add(fieldPath('metrics', 'public'), 'must be true or false');
  const token = readSecretField(map, 'token', 'metrics', ctx);
  return { public: open === true, token: token?.secret };
}
