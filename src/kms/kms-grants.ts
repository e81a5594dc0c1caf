/**
 * Grants: CreateGrant, ListGrants, RevokeGrant, RetireGrant, ListRetirableGrants. A grant lets
 * its grantee principal perform the listed operations on the key (optionally only under
 * encryption-context constraints), besides whatever the key policy allows; key-access.ts
 * consults them. Grants live with the key, in the key's account, and can name a principal of
 * another account, which then uses the key by ARN. A grant takes effect at once in Coffer, so its
 * grant token is only needed to retire it; tokens are checked wherever a caller passes them.
 */
import { arns, parseArn } from '../iam/arn.js';
import { CONTEXT_OPERATIONS, grantableFor } from './key-access.js';
import type { KmsKey } from './kms-key.js';
import { checkUsable } from './kms-key.js';
import type { KmsContext } from './kms-context.js';
import { dryRun, KmsError } from './kms-error.js';
import { withMarker } from './kms-page.js';
import type { KmsListRequest, KmsPage } from './kms-page.js';
import type { KmsScope } from './kms-scope.js';
import type { EncryptionContext } from './encryption-context.js';
import type { KmsGrantRecord } from '../catalog/kms-grants.js';

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

/** RetireGrant names the grant by its token, or by the key's ARN and the grant id. */
export interface RetireGrantInput {
  readonly grantToken?: string | undefined;
  readonly keyRef?: string | undefined;
  readonly grantId?: string | undefined;
  readonly dryRun?: boolean | undefined;
}

export interface KmsGrants {
  create(scope: KmsScope, keyRef: string, input: CreateGrantInput): Promise<CreatedGrant>;
  list(scope: KmsScope, keyRef: string, filter: GrantFilter, request: KmsListRequest): Promise<KmsPage<KmsGrant>>;
  revoke(scope: KmsScope, keyRef: string, grantId: string, dryRun?: boolean): Promise<void>;
  retire(scope: KmsScope, input: RetireGrantInput): Promise<void>;
  /** The grants of the caller's account and region that `retiringPrincipal` may retire. */
  listRetirable(scope: KmsScope, retiringPrincipal: string, request: KmsListRequest): Promise<KmsPage<KmsGrant>>;
}

const TOKEN_PREFIX = 'cgt1:';
const GRANT_ID = /^[0-9a-f]{64}$/;

/** A grant token: the key's ARN and the grant id, as text the caller treats as opaque. */
export function grantToken(keyArn: string, grantId: string): string {
  return Buffer.from(`${TOKEN_PREFIX}${keyArn}|${grantId}`, 'utf8').toString('base64');
}

/** What a token names, or InvalidGrantToken when it is not one Coffer issued. */
export function parseGrantToken(token: string): { keyArn: string; grantId: string } {
  const text = Buffer.from(token, 'base64').toString('utf8');
  const [arn, grantId] = text.startsWith(TOKEN_PREFIX) ? text.slice(TOKEN_PREFIX.length).split('|') : [];
  if (arn === undefined || grantId === undefined || !GRANT_ID.test(grantId) || parseArn(arn)?.service !== 'kms') {
    throw new KmsError('InvalidGrantToken', 'The grant token is not valid: pass the GrantToken that CreateGrant returned, unchanged.');
  }
  return { keyArn: arn, grantId };
}

/** GrantTokens passed to any operation must be tokens Coffer issued (at most 10, as AWS allows). */
export function checkGrantTokens(tokens: readonly string[]): void {
  if (tokens.length > 10) throw new KmsError('InvalidParameter', `GrantTokens takes at most 10 tokens, not ${tokens.length}.`);
  for (const token of tokens) parseGrantToken(token);
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

function checkOperations(key: KmsKey, operations: readonly string[], constraints: GrantConstraints | undefined): void {
  if (operations.length === 0) throw new KmsError('InvalidParameter', 'A grant must list at least one operation.');
  const allowed = grantableFor(key.keySpec, key.keyUsage);
  const unknown = operations.find((op) => !allowed.includes(op));
  if (unknown !== undefined) {
    throw new KmsError(
      'InvalidParameter',
      `Grant operation ${unknown} is not valid for ${key.arn} (${key.keySpec}, ${key.keyUsage}); use ${allowed.join(', ')}.`,
    );
  }
  const constrained = constraints?.encryptionContextEquals !== undefined || constraints?.encryptionContextSubset !== undefined;
  const contextless = operations.find((op) => !CONTEXT_OPERATIONS.has(op));
  if (constrained && contextless !== undefined) {
    throw new KmsError(
      'InvalidParameter',
      `Grant constraints apply only to operations that take an encryption context; ${contextless} takes none. Make a separate grant for it without Constraints.`,
    );
  }
  if (constraints?.encryptionContextEquals !== undefined && constraints.encryptionContextSubset !== undefined) {
    throw new KmsError('InvalidParameter', "Give EncryptionContextEquals or EncryptionContextSubset in a grant's Constraints, not both.");
  }
}

function grantOf(keyArn: string, g: KmsGrantRecord): KmsGrant {
  return {
    keyId: keyArn,
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
        : { encryptionContextEquals: g.constraints.EncryptionContextEquals, encryptionContextSubset: g.constraints.EncryptionContextSubset },
  };
}

/**
 * Who may retire a grant, as AWS decides it: its retiring principal, its grantee when the grant
 * allows RetireGrant, or the account that owns the key (its root). An assumed-role session
 * counts as its role.
 */
function mayRetire(scope: KmsScope, keyAccount: string, grant: KmsGrantRecord): boolean {
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(scope.principal);
  const callers = [scope.principal, ...(session === null ? [] : [`arn:aws:iam::${session[1]}:role/${session[2]}`])];
  if (grant.retiringPrincipal !== undefined && callers.includes(grant.retiringPrincipal)) return true;
  if (grant.operations.includes('RetireGrant') && callers.includes(grant.granteePrincipal)) return true;
  return scope.principal === arns.accountRoot(keyAccount);
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
      checkOperations(key, input.operations, input.constraints);
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
      return { grantId, grantToken: grantToken(key.arn, grantId) };
    },

    async list(scope, keyRef, filter, request) {
      const { key } = await loader.load(scope, keyRef, 'ListGrants');
      await access.authorize(scope, key, 'ListGrants');
      return withMarker(
        request,
        (page) => stores.kmsGrants.list(key, key.keyId, filter, page),
        (g) => grantOf(key.arn, g),
      );
    },

    async revoke(scope, keyRef, grantId, isDryRun) {
      const { key } = await loader.load(scope, keyRef, 'RevokeGrant');
      await access.authorize(scope, key, 'RevokeGrant');
      if (isDryRun === true) throw dryRun();
      if (!(await stores.kmsGrants.delete(key, key.keyId, grantId))) throw new KmsError('InvalidGrantId', `Grant ${grantId} of ${key.arn} does not exist.`);
    },

    async retire(scope, input) {
      let keyRef = input.keyRef;
      let grantId = input.grantId;
      if (input.grantToken !== undefined) {
        const named = parseGrantToken(input.grantToken);
        if ((keyRef !== undefined && keyRef !== named.keyArn) || (grantId !== undefined && grantId !== named.grantId)) {
          throw new KmsError('InvalidGrantToken', 'The grant token names another grant than KeyId and GrantId do.');
        }
        keyRef = named.keyArn;
        grantId = named.grantId;
      }
      if (keyRef === undefined || grantId === undefined) {
        throw new KmsError('InvalidParameter', 'RetireGrant needs the GrantToken, or both KeyId (the key ARN) and GrantId.');
      }
      const { key } = await loader.load(scope, keyRef, 'RetireGrant');
      const grant = await stores.kmsGrants.get(key, key.keyId, grantId);
      if (grant === undefined) throw new KmsError('InvalidGrantId', `Grant ${grantId} of ${key.arn} does not exist.`);
      if (!mayRetire(scope, key.accountId, grant)) {
        throw new KmsError(
          'AccessDenied',
          `User: ${scope.principal} is not authorized to perform: kms:RetireGrant on resource: ${key.arn} because it is neither the grant's retiring principal nor a grantee allowed RetireGrant`,
        );
      }
      if (input.dryRun === true) throw dryRun();
      await stores.kmsGrants.delete(key, key.keyId, grantId);
    },

    async listRetirable(scope, retiringPrincipal, request) {
      checkPrincipal(retiringPrincipal, 'RetiringPrincipal');
      return withMarker(
        request,
        (page) => stores.kmsGrants.retirableBy(scope, retiringPrincipal, page),
        (g) => grantOf(arns.kmsKey(scope, g.keyId), g),
      );
    },
  };
}
