/**
 * Writes a handler's result as the query protocol's XML (STS, IAM): only the members the shape
 * declares, lists as `<Name><member>..</member></Name>`, maps as `<entry><key/><value/></entry>`,
 * timestamps in ISO 8601, blobs in base64, text escaped. Knows shapes, not HTTP.
 */
import { shapeOf } from './service-model.js';
import type { ServiceModel, ShapeOf } from './service-model.js';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** Text content escaped as AWS's XML services escape it (quotes stay as they are). */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>\r]/g, (c) => ESCAPES[c] ?? c);
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** The child elements of a structure's members, in the model's order. */
export function xmlMembers(model: ServiceModel, shape: ShapeOf<'structure'>, value: Readonly<Record<string, unknown>>): string {
  let xml = '';
  for (const [name, ref] of Object.entries(shape.members)) {
    const member = value[name];
    if (member === undefined || member === null) continue;
    const tag = ref.locationName ?? name;
    xml += `<${tag}>${xmlValue(model, ref.shape, member)}</${tag}>`;
  }
  return xml;
}

function xmlValue(model: ServiceModel, shapeName: string, value: unknown): string {
  const shape = shapeOf(model, shapeName);
  switch (shape.type) {
    case 'structure':
      return isRecord(value) ? xmlMembers(model, shape, value) : '';
    case 'list': {
      const tag = shape.member.locationName ?? 'member';
      return Array.isArray(value) ? value.map((item) => `<${tag}>${xmlValue(model, shape.member.shape, item)}</${tag}>`).join('') : '';
    }
    case 'map':
      return isRecord(value)
        ? Object.entries(value)
            .map(([k, v]) => `<entry><key>${xmlEscape(k)}</key><value>${xmlValue(model, shape.value.shape, v)}</value></entry>`)
            .join('')
        : '';
    case 'timestamp':
      return value instanceof Date ? value.toISOString() : xmlEscape(String(value));
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : Buffer.from(String(value), 'utf8').toString('base64');
    default:
      return xmlEscape(String(value));
  }
}
