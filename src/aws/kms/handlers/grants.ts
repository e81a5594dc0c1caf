/** CreateGrant, ListGrants, RevokeGrant, RetireGrant, ListRetirableGrants: wire shapes to the KMS domain. */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { GrantConstraints, KmsGrant } from '../../../kms/kms-grants.js';
import type { OperationHandler } from '../../http-handler.js';
import { kmsListRequestOf, kmsScopeOf, listOutput, optionalBoolean, optionalString, requiredString, stringList } from './wire-input.js';
import type { WireInput } from './wire-input.js';

function constraintsOf(input: WireInput): GrantConstraints | undefined {
  const raw = input['Constraints'] as { EncryptionContextEquals?: Record<string, string>; EncryptionContextSubset?: Record<string, string> } | undefined;
  if (raw === undefined) return undefined;
  return { encryptionContextEquals: raw.EncryptionContextEquals, encryptionContextSubset: raw.EncryptionContextSubset };
}

function grantWire(g: KmsGrant): Record<string, unknown> {
  return {
    KeyId: g.keyId,
    GrantId: g.grantId,
    Name: g.name,
    CreationDate: g.createdAt,
    GranteePrincipal: g.granteePrincipal,
    RetiringPrincipal: g.retiringPrincipal,
    IssuingAccount: g.issuingAccount,
    Operations: g.operations,
    Constraints:
      g.constraints === undefined
        ? undefined
        : { EncryptionContextEquals: g.constraints.encryptionContextEquals, EncryptionContextSubset: g.constraints.encryptionContextSubset },
  };
}

export function grantHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const grants = kms.grants;
  return {
    async CreateGrant(ctx, input) {
      const created = await grants.create(kmsScopeOf(ctx), requiredString(input, 'KeyId'), {
        granteePrincipal: requiredString(input, 'GranteePrincipal'),
        retiringPrincipal: optionalString(input, 'RetiringPrincipal'),
        operations: stringList(input, 'Operations'),
        constraints: constraintsOf(input),
        name: optionalString(input, 'Name'),
        dryRun: optionalBoolean(input, 'DryRun'),
      });
      return { GrantId: created.grantId, GrantToken: created.grantToken };
    },

    async ListGrants(ctx, input) {
      const page = await grants.list(
        kmsScopeOf(ctx),
        requiredString(input, 'KeyId'),
        {
          grantId: optionalString(input, 'GrantId'),
          granteePrincipal: optionalString(input, 'GranteePrincipal'),
        },
        kmsListRequestOf(input),
      );
      return listOutput('Grants', {
        ...page,
        items: page.items.map(grantWire),
      });
    },

    async RevokeGrant(ctx, input) {
      await grants.revoke(kmsScopeOf(ctx), requiredString(input, 'KeyId'), requiredString(input, 'GrantId'), optionalBoolean(input, 'DryRun'));
    },

    async RetireGrant(ctx, input) {
      await grants.retire(kmsScopeOf(ctx), {
        grantToken: optionalString(input, 'GrantToken'),
        keyRef: optionalString(input, 'KeyId'),
        grantId: optionalString(input, 'GrantId'),
        dryRun: optionalBoolean(input, 'DryRun'),
      });
    },

    async ListRetirableGrants(ctx, input) {
      const page = await grants.listRetirable(kmsScopeOf(ctx), requiredString(input, 'RetiringPrincipal'), kmsListRequestOf(input));
      return listOutput('Grants', { ...page, items: page.items.map(grantWire) });
    },
  };
}
