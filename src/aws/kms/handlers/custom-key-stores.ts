/** The custom key store operations, answered as for an account that has none (kms/custom-key-stores.ts). */
import type { KmsDomain } from '../../../kms/kms-domain.js';
import type { OperationHandler } from '../../http-handler.js';
import { optionalString, requiredString } from './wire-input.js';

export function customKeyStoreHandlers(kms: KmsDomain): Readonly<Record<string, OperationHandler>> {
  const stores = kms.customKeyStores;
  const named: OperationHandler = async (_ctx, input) => stores.named(requiredString(input, 'CustomKeyStoreId'));
  return {
    async CreateCustomKeyStore(_ctx, input) {
      stores.create({
        name: requiredString(input, 'CustomKeyStoreName'),
        type: optionalString(input, 'CustomKeyStoreType'),
        cloudHsmClusterId: optionalString(input, 'CloudHsmClusterId'),
        xksProxyUriEndpoint: optionalString(input, 'XksProxyUriEndpoint'),
      });
    },
    async DescribeCustomKeyStores(_ctx, input) {
      const found = stores.describe({ id: optionalString(input, 'CustomKeyStoreId'), name: optionalString(input, 'CustomKeyStoreName') });
      return { CustomKeyStores: found, Truncated: false };
    },
    ConnectCustomKeyStore: named,
    DisconnectCustomKeyStore: named,
    UpdateCustomKeyStore: named,
    DeleteCustomKeyStore: named,
  };
}
