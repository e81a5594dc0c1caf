/** CreateAlias, UpdateAlias, DeleteAlias, ListAliases: wire shapes to the KMS domain. */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { kmsListRequestOf, kmsScopeOf, listOutput, optionalString, requiredString } from './wire-input.js';

export function aliasHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const aliases = kms.aliases;
  return {
    async CreateAlias(ctx, input) {
      await aliases.create(kmsScopeOf(ctx), requiredString(input, 'AliasName'), requiredString(input, 'TargetKeyId'));
    },

    async UpdateAlias(ctx, input) {
      await aliases.update(kmsScopeOf(ctx), requiredString(input, 'AliasName'), requiredString(input, 'TargetKeyId'));
    },

    async DeleteAlias(ctx, input) {
      await aliases.delete(kmsScopeOf(ctx), requiredString(input, 'AliasName'));
    },

    async ListAliases(ctx, input) {
      const page = await aliases.list(kmsScopeOf(ctx), optionalString(input, 'KeyId'), kmsListRequestOf(input));
      return listOutput('Aliases', {
        ...page,
        items: page.items.map((a) => ({
          AliasName: a.name,
          AliasArn: a.arn,
          TargetKeyId: a.targetKeyId,
          CreationDate: a.createdAt,
          LastUpdatedDate: a.updatedAt,
        })),
      });
    },
  };
}
