/**
 * A table's description as Coffer keeps it (`table.json` in the snapshot): keys, attribute
 * definitions, indexes, billing, streams, table class, TTL and tags, taken from DescribeTable,
 * DescribeTimeToLive and ListTagsOfResource; and the CreateTable input that rebuilds the same
 * schema under another name. Capacity figures and statuses that AWS computes are not copied.
 */
import type {
  AttributeDefinition,
  BillingMode,
  CreateTableCommandInput,
  GlobalSecondaryIndexDescription,
  KeySchemaElement,
  LocalSecondaryIndexDescription,
  Projection,
  ProvisionedThroughputDescription,
  StreamViewType,
  TableClass,
  TableDescription,
  Tag,
} from '@aws-sdk/client-dynamodb';

export const TABLE_FORMAT = 'coffer-dynamodb-table/1';

export interface IndexSchema {
  readonly indexName: string;
  readonly keySchema: readonly KeySchemaElement[];
  readonly projection: Projection;
  /** GSIs of provisioned tables only. */
  readonly provisioned?: { readonly readCapacityUnits: number; readonly writeCapacityUnits: number };
}

export interface TableSchema {
  readonly format: typeof TABLE_FORMAT;
  readonly tableName: string;
  readonly tableArn?: string;
  readonly attributeDefinitions: readonly AttributeDefinition[];
  readonly keySchema: readonly KeySchemaElement[];
  readonly billingMode: BillingMode;
  readonly provisioned?: { readonly readCapacityUnits: number; readonly writeCapacityUnits: number };
  readonly globalSecondaryIndexes: readonly IndexSchema[];
  readonly localSecondaryIndexes: readonly IndexSchema[];
  readonly stream?: { readonly viewType: StreamViewType };
  readonly tableClass?: TableClass;
  readonly deletionProtection: boolean;
  /** The TTL attribute when TTL is enabled (or being enabled). */
  readonly timeToLiveAttribute?: string;
  readonly tags: readonly Tag[];
  /** As DescribeTable said when the backup began (updated by AWS about every six hours). */
  readonly itemCountEstimate?: number;
  readonly sizeBytesEstimate?: number;
  /** Items the backup's scan wrote, and the files holding them. */
  readonly scannedItems?: number;
  readonly itemFiles?: readonly string[];
}

const capacity = (p: ProvisionedThroughputDescription | undefined) => ({
  readCapacityUnits: Math.max(1, p?.ReadCapacityUnits ?? 1),
  writeCapacityUnits: Math.max(1, p?.WriteCapacityUnits ?? 1),
});

function indexSchema(index: GlobalSecondaryIndexDescription | LocalSecondaryIndexDescription, provisioned: boolean): IndexSchema {
  const throughput = 'ProvisionedThroughput' in index ? index.ProvisionedThroughput : undefined;
  return {
    indexName: index.IndexName ?? '',
    keySchema: index.KeySchema ?? [],
    projection: index.Projection ?? { ProjectionType: 'ALL' },
    ...(provisioned ? { provisioned: capacity(throughput) } : {}),
  };
}

export function tableSchema(table: TableDescription, ttlAttribute: string | undefined, tags: readonly Tag[]): TableSchema {
  const billingMode: BillingMode = table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const provisioned = billingMode === 'PROVISIONED';
  const stream = table.StreamSpecification;
  return {
    format: TABLE_FORMAT,
    tableName: table.TableName ?? '',
    ...(table.TableArn === undefined ? {} : { tableArn: table.TableArn }),
    attributeDefinitions: table.AttributeDefinitions ?? [],
    keySchema: table.KeySchema ?? [],
    billingMode,
    ...(provisioned ? { provisioned: capacity(table.ProvisionedThroughput) } : {}),
    globalSecondaryIndexes: (table.GlobalSecondaryIndexes ?? []).map((i) => indexSchema(i, provisioned)),
    localSecondaryIndexes: (table.LocalSecondaryIndexes ?? []).map((i) => indexSchema(i, false)),
    ...(stream?.StreamEnabled === true && stream.StreamViewType !== undefined ? { stream: { viewType: stream.StreamViewType } } : {}),
    ...(table.TableClassSummary?.TableClass === undefined ? {} : { tableClass: table.TableClassSummary.TableClass }),
    deletionProtection: table.DeletionProtectionEnabled === true,
    ...(ttlAttribute === undefined ? {} : { timeToLiveAttribute: ttlAttribute }),
    tags: [...tags],
    ...(table.ItemCount === undefined ? {} : { itemCountEstimate: table.ItemCount }),
    ...(table.TableSizeBytes === undefined ? {} : { sizeBytesEstimate: table.TableSizeBytes }),
  };
}

export interface CreateOptions {
  readonly tableName: string;
  /** From the restore metadata: `Default` (AWS owned key) or `KMS` with a key ARN. */
  readonly kmsMasterKeyArn?: string;
}

const throughput = (p: IndexSchema['provisioned']) =>
  p === undefined ? undefined : { ReadCapacityUnits: p.readCapacityUnits, WriteCapacityUnits: p.writeCapacityUnits };

/**
 * CreateTable for the same schema under `options.tableName`. Deletion protection, TTL and tags
 * are applied after the items are written (see table-restore), so a failed restore can still
 * delete the table and TTL cannot remove items while they are written.
 */
export function createTableInput(schema: TableSchema, options: CreateOptions): CreateTableCommandInput {
  const provisioned = schema.billingMode === 'PROVISIONED';
  const gsis = schema.globalSecondaryIndexes.map((i) => ({
    IndexName: i.indexName,
    KeySchema: [...i.keySchema],
    Projection: i.projection,
    ...(provisioned ? { ProvisionedThroughput: throughput(i.provisioned ?? { readCapacityUnits: 1, writeCapacityUnits: 1 }) } : {}),
  }));
  const lsis = schema.localSecondaryIndexes.map((i) => ({ IndexName: i.indexName, KeySchema: [...i.keySchema], Projection: i.projection }));
  return {
    TableName: options.tableName,
    AttributeDefinitions: [...schema.attributeDefinitions],
    KeySchema: [...schema.keySchema],
    BillingMode: schema.billingMode,
    ...(provisioned ? { ProvisionedThroughput: throughput(schema.provisioned ?? { readCapacityUnits: 1, writeCapacityUnits: 1 }) } : {}),
    ...(gsis.length > 0 ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(lsis.length > 0 ? { LocalSecondaryIndexes: lsis } : {}),
    ...(schema.stream === undefined ? {} : { StreamSpecification: { StreamEnabled: true, StreamViewType: schema.stream.viewType } }),
    ...(schema.tableClass === undefined ? {} : { TableClass: schema.tableClass }),
    ...(options.kmsMasterKeyArn === undefined ? {} : { SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: options.kmsMasterKeyArn } }),
  };
}

/** The schema in `table.json`, checked enough that a restore fails with a clear message. */
export function parseTableSchema(text: string): TableSchema {
  const parsed = JSON.parse(text) as Partial<TableSchema>;
  if (parsed.format !== TABLE_FORMAT) throw new Error(`table.json has format ${JSON.stringify(parsed.format)}, expected ${TABLE_FORMAT}`);
  if (!Array.isArray(parsed.keySchema) || parsed.keySchema.length === 0) throw new Error('table.json has no key schema');
  if (!Array.isArray(parsed.attributeDefinitions)) throw new Error('table.json has no attribute definitions');
  return parsed as TableSchema;
}
