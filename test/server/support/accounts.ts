/**
 * Two test accounts with configured keys, and the config that serves them in two regions on
 * 127.0.0.1 port 0. The secrets are made up and only ever used against 127.0.0.1.
 */

export interface TestAccount {
  readonly accountId: string;
  readonly name: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export const ALPHA: TestAccount = {
  accountId: '111111111111',
  name: 'alpha',
  accessKeyId: 'AKIACOFFERALPHA00001',
  secretAccessKey: 'alpha-test-secret/with+chars=0001',
};
export const BETA: TestAccount = {
  accountId: '222222222222',
  name: 'beta',
  accessKeyId: 'AKIACOFFERBETA000001',
  secretAccessKey: 'beta-test-secret/with+chars=00001',
};

export const REGIONS = ['us-east-1', 'eu-west-1'] as const;

/** Relative paths resolve against the config file's directory. */
/** The `accounts:` block of a config naming these accounts with their access keys. */
export function accountsYaml(accounts: readonly TestAccount[]): string {
  return `accounts:\n${accounts.map((a) => `  - id: "${a.accountId}"\n    name: ${a.name}\n    accessKeys: [{ id: ${a.accessKeyId}, secret: "${a.secretAccessKey}" }]`).join('\n')}\n`;
}

export const TWO_ACCOUNTS_YAML = `listen: 127.0.0.1:0
dataDir: ./data
${accountsYaml([ALPHA, BETA])}regions:
${REGIONS.map((r) => `  - { name: ${r}, storage: "file:./data/vaults/${r}" }`).join('\n')}
`;

/** The start of a config with account ALPHA alone in us-east-1 (port 0, data in ./data); append `resources:` and the like. */
export const ALPHA_CONFIG_HEAD = `listen: 127.0.0.1:0
dataDir: ./data
${accountsYaml([ALPHA])}regions:
  - { name: us-east-1, storage: "file:./data/vaults/us-east-1" }
`;
