/**
 * The resources a selection names one by one (an ARN without `*`) that Coffer does not know in
 * the selection's account and region: AWS accepts such a selection and simply backs nothing up
 * for them, so a typo or a resource missing from the config would pass unseen. Coffer says so,
 * at CreateBackupSelection (a server log line: AWS's answer has no warnings field) and in the
 * plan's preflight (`coffer doctor`, GET /_coffer/plans/{id}/preflight).
 */
import type { CallScope } from './call-scope.js';
import type { SelectionDocument } from './selection-document.js';

type Scope = Pick<CallScope, 'accountId' | 'region'>;

/** The ARNs of `selection.Resources` that name one resource (no wildcard). */
export function namedResources(selection: Pick<SelectionDocument, 'Resources'>): string[] {
  return (selection.Resources ?? []).filter((arn) => !arn.includes('*'));
}

/** The named ARNs for which `known` is false, in the selection's order, each once. */
export function unknownNamedResources(selection: Pick<SelectionDocument, 'Resources'>, known: (arn: string) => boolean): string[] {
  return [...new Set(namedResources(selection).filter((arn) => !known(arn)))];
}

export function unknownResourcesMessage(scope: Scope, selectionName: string, unknown: readonly string[]): string {
  const them = unknown.length === 1 ? 'it' : 'them';
  return `Selection ${selectionName} names ${unknown.length === 1 ? 'a resource' : `${unknown.length} resources`} Coffer does not know in account ${scope.accountId}, region ${scope.region}: ${unknown.join(', ')}; no backup job is made for ${them} until ${unknown.length === 1 ? 'it is' : 'they are'} configured.`;
}

export function unknownResourcesFix(unknown: readonly string[]): string {
  return `Add ${unknown.length === 1 ? 'the resource' : 'the resources'} under resources in the deployment config (docs/configuration.md#resources) and restart coffer serve, or, if the ARN is mistyped, re-create the selection (selections cannot be updated) with the ARN of a configured resource.`;
}
