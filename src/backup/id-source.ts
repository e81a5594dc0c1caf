/**
 * Where the domain gets new identifiers: injected like the Clock, so tests can predict them.
 * Plan, rule and selection IDs are UUIDs as AWS's are; a plan VersionId is, as AWS's look, the
 * base64 of a UUID.
 */
import { randomUUID } from 'node:crypto';

export interface IdSource {
  uuid(): string;
}

export const randomIds: IdSource = { uuid: () => randomUUID() };

export function newVersionId(ids: IdSource): string {
  return Buffer.from(ids.uuid()).toString('base64');
}
