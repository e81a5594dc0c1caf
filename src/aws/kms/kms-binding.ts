/**
 * The AWS KMS service as the HTTP handler serves it (json 1.1, signing name `kms`): the model
 * plus every operation handler, each wrapped so that domain errors answer as AWS exceptions
 * (error-map.ts). The operations are exactly those in operations.ts (a test checks).
 */
import type { KmsDomain } from '../../kms/kms-domain.js';
import type { OperationHandler, ServiceBinding } from '../http-handler.js';
import { KMS_MODEL } from '../service-model.js';
import { withKmsErrorMap } from './error-map.js';
import { aliasHandlers } from './handlers/aliases.js';
import { cryptoHandlers } from './handlers/crypto.js';
import { grantHandlers } from './handlers/grants.js';
import { keyPolicyHandlers } from './handlers/key-policies.js';
import { keyHandlers } from './handlers/keys.js';
import { tagHandlers } from './handlers/tags.js';

export function kmsHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const all = {
    ...keyHandlers(kms),
    ...aliasHandlers(kms),
    ...keyPolicyHandlers(kms),
    ...cryptoHandlers(kms),
    ...grantHandlers(kms),
    ...tagHandlers(kms),
  };
  return Object.fromEntries(Object.entries(all).map(([name, handler]) => [name, withKmsErrorMap(handler)]));
}

export function createKmsBinding(kms: KmsDomain): ServiceBinding {
  return { model: KMS_MODEL, handlers: kmsHandlers(kms) };
}
