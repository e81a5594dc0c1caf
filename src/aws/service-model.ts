/**
 * The AWS service models Coffer speaks, as compact tables generated from botocore by
 * scripts/gen-aws-operations.mjs and committed under models/: per operation its HTTP binding
 * and input/output shapes, per shape what validation and serialization need. No documentation
 * strings. The app loads these files; botocore is needed only to regenerate them.
 */
import backupModel from './models/backup.json' with { type: 'json' };
import backupSearchModel from './models/backupsearch.json' with { type: 'json' };
import iamModel from './models/iam.json' with { type: 'json' };
import kmsModel from './models/kms.json' with { type: 'json' };
import stsModel from './models/sts.json' with { type: 'json' };
import { amendBackupModel } from './model-amendments.js';

export type MemberLocation = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';

export interface MemberRef {
  readonly shape: string;
  /** Absent: the member travels in the JSON body. */
  readonly location?: MemberLocation;
  /** The wire name (URI label, query parameter, header) when it differs from the member name. */
  readonly locationName?: string;
  readonly required?: true;
  /** The SDKs fill this member with a UUID when the caller leaves it out. */
  readonly idempotencyToken?: true;
}

interface Constrained {
  readonly min?: number;
  readonly max?: number;
}

export type TimestampFormat = 'iso8601' | 'unixTimestamp' | 'rfc822';

export type Shape =
  | {
      readonly type: 'structure';
      readonly members: Readonly<Record<string, MemberRef>>;
      readonly exception?: true;
      readonly fault?: true;
      /** Query protocol exceptions: the wire code and HTTP status (IAM's NoSuchEntityException is `NoSuchEntity`, 404). */
      readonly error?: { readonly code: string; readonly httpStatusCode: number };
    }
  | ({ readonly type: 'list'; readonly member: MemberRef } & Constrained)
  | ({ readonly type: 'map'; readonly key: MemberRef; readonly value: MemberRef } & Constrained)
  | ({ readonly type: 'string'; readonly pattern?: string; readonly enum?: readonly string[]; readonly sensitive?: true } & Constrained)
  | ({ readonly type: 'integer' | 'long' | 'float' | 'double' } & Constrained)
  | { readonly type: 'boolean' }
  | { readonly type: 'timestamp'; readonly timestampFormat?: TimestampFormat }
  | ({ readonly type: 'blob'; readonly sensitive?: true } & Constrained);

export type ShapeOf<T extends Shape['type']> = Extract<Shape, { readonly type: T }>;

export interface OperationModel {
  readonly name: string;
  readonly method: string;
  /** The path template, possibly with a literal query (`/x/{name}/team?delete`). */
  readonly requestUri: string;
  readonly successCode: number;
  readonly input?: string;
  readonly output?: string;
  /** Query protocol: the element the output is wrapped in (`GetRoleResult`). */
  readonly resultWrapper?: string;
  readonly errors: readonly string[];
}

export interface ServiceModel {
  /** The SigV4 signing name, which is also how requests are routed: `backup`, `kms`, `sts`, `iam`. */
  readonly signingName: string;
  readonly serviceId: string;
  readonly apiVersion: string;
  readonly protocol: 'rest-json' | 'json' | 'query';
  readonly jsonVersion?: string;
  readonly targetPrefix?: string;
  /** Query protocol: the XML namespace of responses and errors. */
  readonly xmlNamespace?: string;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

/** JSON infers `protocol: string`; the generator and test/aws/service-model.test.ts vouch for the rest. */
export const BACKUP_MODEL = amendBackupModel(backupModel as ServiceModel);
export const KMS_MODEL = kmsModel as ServiceModel;
export const STS_MODEL = stsModel as ServiceModel;
export const IAM_MODEL = iamModel as ServiceModel;
export const BACKUP_SEARCH_MODEL = backupSearchModel as ServiceModel;

/** The shape a model names; a missing one is a generator bug, not a request error. */
export function shapeOf(model: ServiceModel, name: string): Shape {
  const shape = model.shapes[name];
  if (shape === undefined) throw new Error(`${model.signingName} model has no shape ${name}`);
  return shape;
}

/** The structure shape named `name`. */
export function structureOf(model: ServiceModel, name: string): ShapeOf<'structure'> {
  const shape = shapeOf(model, name);
  if (shape.type !== 'structure') throw new Error(`${model.signingName} shape ${name} is a ${shape.type}, not a structure`);
  return shape;
}
