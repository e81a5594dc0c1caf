/**
 * Where a restore job goes. A restore runs in an account A and a region R (the job's) and lands
 * on A's and R's `restoreTargets` entry for the resource type (for RDS, of the point's engine);
 * the resource's own server or endpoint only when the job runs in the resource's own account
 * and region. Without either the job fails naming the missing entry: it never falls back to
 * another account's or region's server. Restore metadata `Endpoint`, when the caller sets it to
 * something other than what the backup recorded, picks one of those places by name (host:port,
 * endpoint URL, or a target's directory) and fails when it names none of them.
 *
 * The result is a resource in A and R (so what the restore creates, its CreatedResourceArn, is
 * named in the restoring account and region), the metadata to run with, and for directories the
 * root the RestorePath must lie below.
 */
import { basename, join } from 'node:path';
import type { ResourceConfig } from '../config/resource-config.js';
import { parseResourceArn } from '../config/resource-arn.js';
import { missingTargetHint, targetEndpoint } from '../config/restore-target-config.js';
import type { RestoreTargetConfig } from '../config/restore-target-config.js';
import { ConnectorError } from './connector.js';

export interface RestoreDestinationInput {
  /** Where the restore job runs. */
  readonly scope: { readonly accountId: string; readonly region: string };
  readonly resourceType: string;
  readonly resourceArn: string;
  /** The configured source resource, if it still is. */
  readonly source: ResourceConfig | undefined;
  readonly targets: readonly RestoreTargetConfig[];
  /** The job's metadata (recorded overlaid by the caller's). */
  readonly metadata: Readonly<Record<string, string>>;
  /** What the backup recorded: a key equal to it was not set by the caller. */
  readonly recorded: Readonly<Record<string, string>> | undefined;
}

export interface RestoreDestination {
  readonly resource: ResourceConfig | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  /** Directory restores: RestorePath must lie below this root (the target's path). */
  readonly root?: string;
  /** How the destination is named in messages. */
  readonly described: string;
}

function sourceEndpoint(source: ResourceConfig): string {
  switch (source.type) {
    case 'RDS':
      return `${source.host}:${source.port}`;
    case 'DynamoDB':
    case 'S3':
      return source.endpoint;
    case 'EFS':
      return source.path;
  }
}

function sourceScope(input: RestoreDestinationInput): { accountId: string; region: string } | undefined {
  if (input.source !== undefined) return { accountId: input.source.accountId, region: input.source.region };
  const parsed = parseResourceArn(input.resourceArn);
  return typeof parsed === 'string' || parsed.accountId === '' ? undefined : parsed;
}

/** The place of a target as a resource of the restoring account and region. */
function asResource(target: RestoreTargetConfig, input: RestoreDestinationInput): ResourceConfig {
  const parsed = parseResourceArn(input.resourceArn);
  const name = input.source?.name ?? (typeof parsed === 'string' ? '' : parsed.name);
  const base = { arn: input.resourceArn, accountId: input.scope.accountId, region: input.scope.region, name, tags: {} };
  switch (target.type) {
    case 'RDS':
      return {
        type: 'RDS',
        ...base,
        engine: target.engine,
        host: target.host,
        port: target.port,
        user: target.user,
        password: target.password,
        database: input.metadata['SourceDBName'] ?? '',
        kmsKeyId: undefined,
      };
    case 'DynamoDB':
      return {
        type: 'DynamoDB',
        ...base,
        endpoint: target.endpoint,
        endpointRegion: target.endpointRegion,
        table: input.metadata['sourceTableName'] ?? name,
        credentials: target.credentials,
      };
    case 'S3':
      return {
        type: 'S3',
        ...base,
        endpoint: target.endpoint,
        endpointRegion: target.endpointRegion,
        bucket: name,
        prefix: '',
        forcePathStyle: target.forcePathStyle,
        credentials: target.credentials,
      };
    case 'EFS':
      return { type: 'EFS', ...base, path: target.path };
  }
}

export function restoreDestination(input: RestoreDestinationInput): RestoreDestination {
  const { scope, resourceType } = input;
  const engine = resourceType === 'RDS' ? (input.metadata['Engine'] ?? (input.source?.type === 'RDS' ? input.source.engine : undefined)) : undefined;
  const targets = input.targets.filter(
    (t) =>
      t.accountId === scope.accountId
      && t.region === scope.region
      && t.type === resourceType
      && (t.type !== 'RDS' || engine === undefined || t.engine === engine),
  );
  const home = sourceScope(input);
  const atHome = home !== undefined && home.accountId === scope.accountId && home.region === scope.region;
  const own = atHome && input.source !== undefined ? input.source : undefined;
  const asked = input.metadata['Endpoint'];
  const chosenByCaller = asked !== undefined && asked !== '' && asked !== input.recorded?.['Endpoint'] ? asked : undefined;
  const kind = `${resourceType}${engine === undefined ? '' : ` (${engine})`}`;

  if (chosenByCaller !== undefined) {
    const target = targets.find((t) => targetEndpoint(t) === chosenByCaller.replace(/\/+$/, ''));
    if (target !== undefined) return fromTarget(target, input);
    if (own !== undefined && sourceEndpoint(own) === chosenByCaller)
      return { resource: own, metadata: input.metadata, described: `the resource's own server ${sourceEndpoint(own)}` };
    const places = [...targets.map((t) => `${targetEndpoint(t)} (${t.at})`), ...(own === undefined ? [] : [`${sourceEndpoint(own)} (the resource's own)`])];
    throw new ConnectorError(
      'Refused',
      `Metadata Endpoint ${chosenByCaller} is not a restore target of account ${scope.accountId} in ${scope.region} for ${kind}; ${places.length === 0 ? 'there is none: add one to the config' : `use one of: ${places.join(', ')}`}. Nothing was restored.`,
    );
  }
  const first = targets[0];
  if (first !== undefined) return fromTarget(first, input);
  if (own !== undefined) return { resource: own, metadata: input.metadata, described: `the resource's own server ${sourceEndpoint(own)}` };
  // Directories are local to Coffer: at home, or where the caller chose a RestorePath (within restoreRoots), it is honoured.
  const pathChosen = input.metadata['RestorePath'] !== undefined && input.metadata['RestorePath'] !== input.recorded?.['RestorePath'];
  if (resourceType === 'EFS' && (atHome || pathChosen)) {
    return { resource: undefined, metadata: input.metadata, described: `RestorePath ${input.metadata['RestorePath']}` };
  }
  const why =
    home === undefined || atHome
      ? `the source resource ${input.resourceArn} is no longer in the config`
      : `the resource is in account ${home.accountId}, ${home.region}, and a restore never goes to another account's or region's server`;
  throw new ConnectorError(
    'Refused',
    `No restore target for ${kind} in account ${scope.accountId}, region ${scope.region}: ${why}. Add one to the config (${missingTargetHint(scope.accountId, scope.region, resourceType, engine)}) and start the restore again. Nothing was restored.`,
  );
}

function fromTarget(target: RestoreTargetConfig, input: RestoreDestinationInput): RestoreDestination {
  const resource = asResource(target, input);
  const described = `restore target ${targetEndpoint(target)} (${target.at})`;
  if (target.type !== 'EFS') return { resource, metadata: input.metadata, described };
  // The recorded RestorePath is next to the source directory: below the target instead.
  const path = input.metadata['RestorePath'];
  const recorded = input.recorded?.['RestorePath'];
  const restorePath = path === undefined || path === recorded ? join(target.path, basename(path ?? input.resourceArn)) : path;
  return { resource, metadata: { ...input.metadata, RestorePath: restorePath }, root: target.path, described };
}
