/**
 * The connectors by resource type: the one place that knows them all. Job runners, discovery and
 * restore metadata checks look a connector up here.
 */
import type { Connector } from './connector.js';
import type { ResourceType } from '../config/resource-config.js';
import { databaseConnector } from './database/database-connector.js';
import { dynamoDbConnector } from './dynamodb/dynamodb-connector.js';
import { directoryConnector } from './filesystem/directory-connector.js';
import { s3Connector } from './s3/s3-connector.js';

const CONNECTORS: { readonly [T in ResourceType]: Connector<T> } = {
  EFS: directoryConnector,
  RDS: databaseConnector,
  DynamoDB: dynamoDbConnector,
  S3: s3Connector,
};

export function connectorFor<T extends ResourceType>(type: T): Connector<T> {
  return CONNECTORS[type] as Connector<T>;
}

/** The connector of a type name from the catalog (a string), or undefined for types Coffer has none for. */
export function connectorForName(type: string): Connector | undefined {
  return Object.hasOwn(CONNECTORS, type) ? (CONNECTORS[type as ResourceType] as unknown as Connector) : undefined;
}

export const CONNECTOR_TYPES: readonly ResourceType[] = Object.keys(CONNECTORS) as ResourceType[];
