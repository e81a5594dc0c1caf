/**
 * Custom key stores (CloudHSM clusters and external key store proxies) as AWS answers an account
 * that has none: Coffer keeps every key's material itself, enveloped under its root key, and has
 * no CloudHSM cluster to find nor any external proxy it may reach. So DescribeCustomKeyStores
 * lists nothing, every call naming a store is CustomKeyStoreNotFoundException, and creating one
 * fails the way AWS fails when the cluster or the proxy is not there.
 */
import { customKeyStoreNotFound, KmsError } from './kms-error.js';

export interface CreateCustomKeyStoreInput {
  readonly name: string;
  readonly type?: string | undefined;
  readonly cloudHsmClusterId?: string | undefined;
  readonly xksProxyUriEndpoint?: string | undefined;
}

export interface CustomKeyStoreFilter {
  readonly id?: string | undefined;
  readonly name?: string | undefined;
}

export interface CustomKeyStores {
  create(input: CreateCustomKeyStoreInput): never;
  /** Always empty; a filter naming a store is CustomKeyStoreNotFound. */
  describe(filter: CustomKeyStoreFilter): readonly never[];
  /** Connect, Disconnect, Update, Delete: there is no such store. */
  named(id: string): never;
}

export function createCustomKeyStores(): CustomKeyStores {
  return {
    create(input) {
      const type = input.type ?? 'AWS_CLOUDHSM';
      if (type === 'EXTERNAL_KEY_STORE') {
        throw new KmsError(
          'XksProxyUriUnreachable',
          `Coffer cannot reach the external key store proxy ${input.xksProxyUriEndpoint ?? '(no XksProxyUriEndpoint given)'}: it keeps key material itself and connects to no external key store proxy.`,
        );
      }
      if (type !== 'AWS_CLOUDHSM') throw new KmsError('InvalidParameter', `CustomKeyStoreType ${type} is not AWS_CLOUDHSM or EXTERNAL_KEY_STORE.`);
      throw new KmsError(
        'CloudHsmClusterNotFound',
        `KMS cannot find the AWS CloudHSM cluster with the specified cluster ID ${input.cloudHsmClusterId ?? '(none given)'}: Coffer has no CloudHSM clusters; its keys' material is enveloped under its own root key.`,
      );
    },
    describe(filter) {
      if (filter.id !== undefined) throw customKeyStoreNotFound(filter.id);
      if (filter.name !== undefined)
        throw new KmsError('CustomKeyStoreNotFound', `Custom key store named ${filter.name} does not exist in this account and region.`);
      return [];
    },
    named(id) {
      throw customKeyStoreNotFound(id);
    },
  };
}
