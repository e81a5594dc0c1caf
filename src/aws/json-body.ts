/** A request body as the JSON object both AWS JSON protocols carry; empty means `{}`. */
import { AwsError } from './errors.js';

export function parseJsonBody(body: Buffer): Readonly<Record<string, unknown>> {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AwsError('SerializationException', `The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsError('SerializationException', 'The request body must be a JSON object.');
  }
  return value as Readonly<Record<string, unknown>>;
}
