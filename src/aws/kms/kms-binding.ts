/**
 * The AWS KMS service as the HTTP handler serves it (json 1.1, signing name `kms`): the model
 * plus every operation handler, each wrapped so that domain errors answer as AWS exceptions
 * (error-map.ts) and grant tokens are checked. The operations are exactly those in operations.ts (a test checks).
 */
import type { KmsDomain } from '../../kms/kms-domain.js';
import { checkGrantTokens } from '../../kms/kms-grants.js';
import type { OperationHandler, ServiceBinding } from '../http-handler.js';
import { KMS_MODEL } from '../service-model.js';
import { withKmsErrorMap } from './error-map.js';
import { aliasHandlers } from './handlers/aliases.js';
import { cryptoHandlers } from './handlers/crypto.js';
import { grantHandlers } from './handlers/grants.js';
import { keyPolicyHandlers } from './handlers/key-policies.js';
import { keyHandlers } from './handlers/keys.js';
import { tagHandlers } from './handlers/tags.js';
import { customKeyStoreHandlers } from './handlers/custom-key-stores.js';
import { importHandlers } from './handlers/imports.js';
import { rotationHandlers } from './handlers/rotation.js';
import { signingHandlers } from './handlers/signing.js';
import { stringList } from './handlers/wire-input.js';

export function kmsHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const all = {
    ...keyHandlers(kms),
    ...aliasHandlers(kms),
    ...keyPolicyHandlers(kms),
    ...cryptoHandlers(kms),
    ...grantHandlers(kms),
    ...tagHandlers(kms),
    ...rotationHandlers(kms),
    ...signingHandlers(kms),
    ...importHandlers(kms),
    ...customKeyStoreHandlers(kms),
  };
  return Object.fromEntries(Object.entries(all).map(([name, handler]) => [name, withKmsErrorMap(withGrantTokensChecked(handler))]));
}

/** GrantTokens, on every operation that takes them, must be tokens Coffer issued (InvalidGrantTokenException). */
function withGrantTokensChecked(handler: OperationHandler): OperationHandler {
  return (ctx, input) => {
    if (input['GrantTokens'] !== undefined) checkGrantTokens(stringList(input, 'GrantTokens'));
    return handler(ctx, input);
  };
}

export function createKmsBinding(kms: KmsDomain): ServiceBinding {
  return { model: KMS_MODEL, handlers: kmsHandlers(kms) };
}
