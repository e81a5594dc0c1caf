/**
 * The embedded default: what Coffer runs on when started without a config file, and what fills
 * every field a config file leaves out. Relative paths resolve against the config file's
 * directory (or the working directory when there is no file).
 */

export const DEFAULT_LISTEN = '127.0.0.1:4100';
export const DEFAULT_DATA_DIR = './data';
export const DEFAULT_CATALOG = 'sqlite';
export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_ACCOUNT_NAME = 'default';
export const DEFAULT_REGION = 'us-east-1';

/** File names under dataDir. */
export const CATALOG_FILE = 'catalog.sqlite';
export const VAULTS_DIR = 'vaults';
export const GENERATED_KEYS_FILE = 'access-keys.json';
export const CREDENTIALS_FILE = 'credentials';

/** The AWS CLI profile written for the first account's generated key. */
export const CREDENTIALS_PROFILE = 'coffer';

/** The default config file, as YAML: exactly what loading no file at all yields. */
export const EMBEDDED_DEFAULT_YAML = `listen: ${DEFAULT_LISTEN}
dataDir: ${DEFAULT_DATA_DIR}
catalog: ${DEFAULT_CATALOG}
accounts:
  - id: "${DEFAULT_ACCOUNT_ID}"
    name: ${DEFAULT_ACCOUNT_NAME}
regions:
  - name: ${DEFAULT_REGION}
    storage: "file:${DEFAULT_DATA_DIR}/${VAULTS_DIR}/${DEFAULT_REGION}"
resources: []
`;
