/**
 * Finds the rest-json operation a request names by method and path template. The raw path is
 * split on `/` first and each segment percent-decoded after, so an ARN label arriving as
 * `arn%3Aaws%3Abackup...` (or with `%2F` inside) stays one segment. A trailing slash is optional
 * both ways; labels are never empty; a greedy label `{x+}` takes the rest of the path; a
 * literal query in the template (`?delete`) must be present. Where templates overlap, literal
 * segments win over labels.
 */
import { percentDecode } from './query-string.js';
import type { QueryPairs } from './query-string.js';
import type { OperationModel, ServiceModel } from './service-model.js';
import type { Route } from './wire-protocol.js';

type Segment = { readonly kind: 0; readonly text: string } | { readonly kind: 1 | 2; readonly name: string };

interface CompiledRoute {
  readonly operation: OperationModel;
  readonly segments: readonly Segment[];
  readonly query: readonly string[];
}

const LITERAL = 0;
const LABEL = 1;
const GREEDY = 2;

function pathSegments(path: string): string[] {
  const trimmed = path.replace(/^\//, '').replace(/\/$/, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function compile(operation: OperationModel): CompiledRoute {
  const [path = '', query = ''] = operation.requestUri.split('?');
  const segments = pathSegments(path).map((text): Segment => {
    const label = /^\{([^}]+?)(\+?)\}$/.exec(text);
    if (label === null) return { kind: LITERAL, text };
    return { kind: label[2] === '+' ? GREEDY : LABEL, name: label[1] ?? '' };
  });
  return {
    operation,
    segments,
    query: query
      .split('&')
      .filter(Boolean)
      .map((p) => p.split('=')[0] ?? ''),
  };
}

function matchSegments(route: CompiledRoute, raw: readonly string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  for (const [i, segment] of route.segments.entries()) {
    if (segment.kind === GREEDY) {
      const rest = raw.slice(i).map(percentDecode);
      if (rest.length === 0 || rest.includes('')) return undefined;
      labels[segment.name] = rest.join('/');
      return labels;
    }
    const text = raw[i];
    if (text === undefined) return undefined;
    const decoded = percentDecode(text);
    if (segment.kind === LITERAL ? decoded !== segment.text : decoded === '') return undefined;
    if (segment.kind === LABEL) labels[segment.name] = decoded;
  }
  return raw.length === route.segments.length ? labels : undefined;
}

/** Negative when `a` is more specific: literal before label before greedy, segment by segment. */
function specificity(a: CompiledRoute, b: CompiledRoute): number {
  for (let i = 0; i < Math.min(a.segments.length, b.segments.length); i++) {
    const d = (a.segments[i]?.kind ?? 0) - (b.segments[i]?.kind ?? 0);
    if (d !== 0) return d;
  }
  return b.query.length - a.query.length;
}

export class RestJsonRouter {
  private readonly routes: readonly CompiledRoute[];

  constructor(model: ServiceModel) {
    this.routes = Object.values(model.operations).map(compile).sort(specificity);
  }

  /** The operation for `method` and the raw path, or the methods that path accepts instead. */
  match(method: string, rawPath: string, query: QueryPairs): Route | { readonly allowed: readonly string[] } {
    const raw = pathSegments(rawPath);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      if (!route.query.every((name) => query.some(([key]) => key === name))) continue;
      const labels = matchSegments(route, raw);
      if (labels === undefined) continue;
      if (route.operation.method === method) return { operation: route.operation, labels };
      allowed.add(route.operation.method);
    }
    return { allowed: [...allowed].sort() };
  }
}
