/**
 * The contract every Connector keeps (src/connectors/connector.ts), as one suite each
 * connector's test file runs with its own fixture: one snapshot per backup with the runner's
 * tags, time and metadata; recorded metadata that validates; no snapshot after a failure or an
 * abort; a restore creates a new resource and refuses an existing one, changing nothing; no
 * secret of the resource in what a backup returns.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../../src/connectors/connector.js';
import type { Connector } from '../../../src/connectors/connector.js';
import type { ResourceConfig, ResourceOfType, ResourceType } from '../../../src/config/resource-config.js';
import { tempDir } from '../../support/temp-dir.js';
import { backupContext, freshRepo, restoreContext } from './aws-connector-context.js';

export interface ConnectorFixture<T extends ResourceType> {
  readonly connector: Connector<T>;
  /** A resource holding some data (made once for the suite). */
  resource(): Promise<ResourceOfType<T>>;
  /** A resource that cannot be read (its server is down, or it does not exist). */
  unreadable(): ResourceOfType<T>;
  /** Metadata that names a new restore target (unique per call). */
  newTarget(): Record<string, string>;
  /** Metadata that names a target that exists already (the source itself will do). */
  existingTarget(resource: ResourceOfType<T>): Record<string, string>;
  targetExists(metadata: Readonly<Record<string, string>>): Promise<boolean>;
  /** Removes what the suite made (resources, restored targets). */
  cleanUp(): Promise<void>;
}

/** The secret values a resource config holds (a database password, an endpoint's secret key). */
function secretsOf(resource: ResourceConfig): string[] {
  const secrets = [
    resource.type === 'RDS' ? resource.password : undefined,
    resource.type === 'DynamoDB' || resource.type === 'S3' ? resource.credentials?.secretAccessKey : undefined,
  ];
  return secrets.flatMap((s) => (s === undefined ? [] : [s.secret.reveal()]));
}

export function connectorConformance<T extends ResourceType>(name: string, fixture: ConnectorFixture<T>): void {
  describe(`${name}: the Connector contract`, { concurrency: false }, () => {
    test("backup writes one snapshot with the runner's options and records metadata that validates", async (t) => {
      t.after(() => fixture.cleanUp());
      const repo = await freshRepo(await tempDir(t));
      const resource = await fixture.resource();
      const ctx = backupContext(repo, resource.arn, undefined);
      const outcome = await fixture.connector.backup(resource, ctx);
      const snapshots = await repo.snapshots();
      assert.equal(snapshots.length, 1);
      const [snapshot] = snapshots;
      assert.equal(snapshot!.id, outcome.snapshotId);
      assert.deepEqual(snapshot!.tags, ctx.snapshot.tags);
      assert.deepEqual(snapshot!.coffer, ctx.snapshot.coffer);
      assert.equal(snapshot!.hostname, ctx.snapshot.hostname);
      assert.equal(new Date(snapshot!.time).getTime(), ctx.snapshot.time.getTime());
      assert.ok(outcome.sizeBytes > 0 && outcome.storedBytes > 0);
      const id = ctx.recoveryPointArn.split(':').pop()!;
      assert.deepEqual(outcome.restoreMetadata, {
        ...fixture.connector.restoreMetadataDefaults(resource, { arn: ctx.recoveryPointArn, id, createdAt: ctx.snapshot.time }),
        ...outcome.restoreMetadata,
      });
      fixture.connector.validateRestoreMetadata(outcome.restoreMetadata);
      assert.ok(!JSON.stringify(outcome).includes('password'), 'no secret in the outcome');
      for (const secret of secretsOf(resource)) assert.ok(!JSON.stringify(outcome).includes(secret), "the resource's secret is not in the outcome");

      // Restore into a new target, then refuse an existing one.
      const target = { ...outcome.restoreMetadata, ...fixture.newTarget() };
      fixture.connector.validateRestoreMetadata(target);
      const restored = await fixture.connector.restore(await restoreContext(repo, outcome, resource, target));
      assert.ok(restored.bytes > 0);
      assert.ok(await fixture.targetExists(target));
      const existing = { ...outcome.restoreMetadata, ...fixture.existingTarget(resource) };
      await assert.rejects(
        fixture.connector.restore(await restoreContext(repo, outcome, resource, existing)),
        (err: unknown) => err instanceof ConnectorError && err.kind === 'Refused',
      );
    });

    test('a failed or aborted backup writes no snapshot and says why', async (t) => {
      t.after(() => fixture.cleanUp());
      const repo = await freshRepo(await tempDir(t));
      const bad = fixture.unreadable();
      await assert.rejects(
        fixture.connector.backup(bad, backupContext(repo, bad.arn, undefined)),
        (err: unknown) => err instanceof ConnectorError && err.message.length > 0,
      );
      const resource = await fixture.resource();
      const stop = new AbortController();
      stop.abort(new Error('stopped by the test'));
      await assert.rejects(fixture.connector.backup(resource, backupContext(repo, resource.arn, undefined, stop.signal)), /stopped by the test/);
      assert.deepEqual(await repo.snapshots(), []);
    });
  });
}
