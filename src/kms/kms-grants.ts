/**
 * Grants: CreateGrant, ListGrants, RevokeGrant. A grant lets its grantee principal perform the
 * listed operations on the key (optionally only under encryption-context constraints), besides
 * whatever the key policy allows; key-access.ts consults them. Grants live with the key, in the
 * key's account, and can name a principal of another account, which then uses the key by ARN.
 */
import { arns, parseArn } from '../iam/arn.js';
import { GRANTABLE } from './key-access.js';
import { checkUsable } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { dryRun, KmsError } from './kms-error.js';
import { withMarker } from './kms-page.js';
import type { KmsListRequest, KmsPage } from './kms-page.js';
import type { KmsScope } from './kms-scope.js';
import type { EncryptionContext } from './encryption-context.js';

export interface GrantConstraints {
  readonly encryptionContextEquals?: EncryptionContext | undefined;
  readonly encryptionContextSubset?: EncryptionContext | undefined;
}

export interface CreateGrantInput {
  readonly granteePrincipal: string;
  readonly retiringPrincipal?: string | undefined;
  readonly operations: readonly string[];
  readonly constraints?: GrantConstraints | undefined;
  readonly name?: string | undefined;
  readonly dryRun?: boolean | undefined;
}

export interface KmsGrant {
  readonly keyId: string;
  readonly grantId: string;
  readonly name: string | undefined;
  readonly createdAt: Date;
  readonly granteePrincipal: string;
  readonly retiringPrincipal: string | undefined;
  readonly issuingAccount: string;
  readonly operations: readonly string[];
  readonly constraints: GrantConstraints | undefined;
}

export interface CreatedGrant {
  readonly grantId: string;
  readonly grantToken: string;
}

export interface GrantFilter {
  readonly grantId?: string | undefined;
  readonly granteePrincipal?: string | undefined;
}

export interface KmsGrants {
  create(scope: KmsScope, keyRef: string, input: CreateGrantInput): Promise<CreatedGrant>;
  list(scope: KmsScope, keyRef: string, filter: GrantFilter, request: KmsListRequest): Promise<KmsPage<KmsGrant>>;
  revoke(scope: KmsScope, keyRef: string, grantId: string, dryRun?: boolean): Promise<void>;
}

const SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com$/;

function checkPrincipal(principal: string, member: string): void {
  const arn = parseArn(principal);
  if (SERVICE_PRINCIPAL.test(principal) || (arn !== undefined && arn.service === 'iam' && arn.accountId !== '')) return;
  throw new KmsError(
    'InvalidArn',
    `${member} ${principal} is not a principal: give an IAM ARN such as arn:aws:iam::111122223333:root, or a service principal.`,
  );
}

function checkOperations(operations: readonly string[]): void {
  if (operations.length === 0) throw new KmsError('InvalidParameter', 'A grant must list at least one operation.');
  const unknown = operations.find((op) => !GRANTABLE.has(op));
  if (unknown !== undefined) {
    throw new KmsError('InvalidParameter', `Grant operation ${unknown} is not valid for a symmetric encryption key; use ${[...GRANTABLE].join(', ')}.`);
  }
}

export function createKmsGrants(ctx: KmsContext): KmsGrants {
  const { stores, loader, access, clock, random } = ctx;
  return {
    async create(scope, keyRef, input) {
      const { key } = await loader.load(scope, keyRef, 'CreateGrant');
      await access.authorize(scope, key, 'CreateGrant');
      checkUsable(key);
      checkPrincipal(input.granteePrincipal, 'GranteePrincipal');
      if (input.retiringPrincipal !== undefined) checkPrincipal(input.retiringPrincipal, 'RetiringPrincipal');
      checkOperations(input.operations);
      if (input.dryRun === true) throw dryRun();
      const grantId = random.bytes(32).toString('hex');
      const constraints =
        input.constraints === undefined
          ? undefined
          : {
              ...(input.constraints.encryptionContextEquals === undefined ? {} : { EncryptionContextEquals: input.constraints.encryptionContextEquals }),
              ...(input.constraints.encryptionContextSubset === undefined ? {} : { EncryptionContextSubset: input.constraints.encryptionContextSubset }),
            };
      await stores.kmsGrants.create(key, {
        grantId,
        keyId: key.keyId,
        name: input.name,
        granteePrincipal: input.granteePrincipal,
        retiringPrincipal: input.retiringPrincipal,
        issuingAccount: arns.accountRoot(scope.accountId),
        operations: [...new Set(input.operations)],
        constraints,
        createdAt: clock.now().getTime(),
      });
      // Coffer's grants take effect at once; the token only has to look like one to the caller.
      return { grantId, grantToken: Buffer.from(`${key.arn}:${grantId}`).toString('base64') };
    },

    async list(scope, keyRef, filter, request) {
      const { key } = await loader.load(scope, keyRef, 'ListGrants');
      await access.authorize(scope, key, 'ListGrants');
      return withMarker(
        request,
        (page) => stores.kmsGrants.list(key, key.keyId, filter, page),
        (g) => ({
          keyId: key.arn,
          grantId: g.grantId,
          name: g.name,
          createdAt: new Date(g.createdAt),
          granteePrincipal: g.granteePrincipal,
          retiringPrincipal: g.retiringPrincipal,
          issuingAccount: g.issuingAccount,
          operations: g.operations,
          constraints:
            g.constraints === undefined
              ? undefined
              : {
                  encryptionContextEquals: g.constraints.EncryptionContextEquals,
                  encryptionContextSubset: g.constraints.EncryptionContextSubset,
                },
        }),
      );
    },

    async revoke(scope, keyRef, grantId, isDryRun) {
      const { key } = await loader.load(scope, keyRef, 'RevokeGrant');
      await access.authorize(scope, key, 'RevokeGrant');
      if (isDryRun === true) throw dryRun();
      if (!(await stores.kmsGrants.delete(key, key.keyId, grantId))) throw new KmsError('InvalidGrantId', `Grant ${grantId} of ${key.arn} does not exist.`);
    },
  };
}
