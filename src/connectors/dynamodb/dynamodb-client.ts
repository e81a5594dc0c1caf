/** A DynamoDB client for a table resource or a discovery entry (endpoint, region, credentials). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sdkClientOptions } from '../aws-endpoint/endpoint-settings.js';
import type { EndpointSettings } from '../aws-endpoint/endpoint-settings.js';

export type DynamoDbClientFactory = (settings: EndpointSettings) => DynamoDBClient;

export const makeDynamoDbClient: DynamoDbClientFactory = (settings) => new DynamoDBClient(sdkClientOptions(settings));
