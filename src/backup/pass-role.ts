/**
 * The `iam:PassRole` check of every Backup operation that names an IamRoleArn (selections and the
 * Start*Job operations): the caller must be allowed to hand the role to AWS Backup
 * (iam/identity/pass-role.ts says who is); otherwise AccessDeniedException, before anything is
 * created.
 */
import type { Catalog } from '../catalog/catalog.js';
import { passRoleProblem } from '../iam/identity/pass-role.js';
import { BackupError } from './backup-error.js';
import type { CallScope } from './call-scope.js';
import type { Clock } from './clock.js';

export async function checkPassRole(catalog: Pick<Catalog, 'iam'>, clock: Clock, scope: CallScope, roleArn: string): Promise<void> {
  const problem = await passRoleProblem(catalog.iam, { accountId: scope.accountId, principal: scope.principal, roleArn }, () => clock.now());
  if (problem !== undefined) throw new BackupError('AccessDenied', problem, { context: roleArn });
}
