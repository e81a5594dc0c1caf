/**
 * Writes a handler's result in the wire form its model shape describes: only the members the
 * shape declares (nothing internal leaks), timestamps as epoch seconds with millisecond
 * fractions in JSON and as HTTP dates in headers, blobs as base64. Knows shapes, not HTTP.
 */
import { shapeOf } from './service-model.js';
import type { MemberRef, ServiceModel, ShapeOf, TimestampFormat } from './service-model.js';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The JSON object of a structure's members; `take` picks which (the body ones, for rest-json). */
export function writeJsonMembers(
  model: ServiceModel,
  shape: ShapeOf<'structure'>,
  value: Readonly<Record<string, unknown>>,
  take: (ref: MemberRef) => boolean = () => true,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, ref] of Object.entries(shape.members)) {
    const member = value[name];
    if (member === undefined || member === null || !take(ref)) continue;
    out[ref.locationName ?? name] = writeJson(model, ref.shape, member);
  }
  return out;
}

export function writeJson(model: ServiceModel, shapeName: string, value: unknown): unknown {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure':
      return isRecord(value) ? writeJsonMembers(model, shape, value) : value;
    case 'list':
      return Array.isArray(value) ? value.map((item) => writeJson(model, shape.member.shape, item)) : value;
    case 'map':
      return isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, writeJson(model, shape.value.shape, v)])) : value;
    case 'timestamp':
      return timestampText(value, shape.timestampFormat ?? 'unixTimestamp');
    case 'blob':
      return blobText(value);
    default:
      return value;
  }
}

function asDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'string') return new Date(value);
  return undefined;
}

/** Epoch seconds keep their milliseconds as a fraction: 1716912000.123. */
function timestampText(value: unknown, format: TimestampFormat): unknown {
  const date = asDate(value);
  if (date === undefined) return value;
  if (format === 'iso8601') return date.toISOString();
  if (format === 'rfc822') return date.toUTCString();
  return date.getTime() / 1000;
}

function blobText(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  return value;
}

/** A header-located member's text: HTTP dates for timestamps unless the shape says otherwise. */
export function writeHeaderText(model: ServiceModel, ref: MemberRef, value: unknown): string {
  const shape = shapeOf(model, ref.shape);
  if (shape.type === 'timestamp') return String(timestampText(value, shape.timestampFormat ?? 'rfc822'));
  if (shape.type === 'blob') return String(blobText(value));
  return String(value);
}
