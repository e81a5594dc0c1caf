/**
 * ConfigError: a config that cannot be used. It lists every problem found, each with the path of
 * the field (`accounts[1].accessKeys[0].secretFile`) and why. Messages quote ids, names and paths
 * but never secret values or URLs that may carry credentials.
 */

export interface ConfigIssue {
  /** The field, e.g. `regions[0].storage`; `''` for the document as a whole. */
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends Error {
  readonly code = 'InvalidConfig';

  constructor(
    readonly source: string | undefined,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(formatIssues(source, issues));
    this.name = 'ConfigError';
  }
}

function formatIssues(source: string | undefined, issues: readonly ConfigIssue[]): string {
  const where = source ?? 'the embedded default config';
  const lines = issues.map((i) => (i.path === '' ? `  ${i.message}` : `  ${i.path}: ${i.message}`));
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return `invalid config ${where} (${issues.length} ${noun}):\n${lines.join('\n')}`;
}

/** Collects issues while a config is read, so one run reports all of them. */
export class IssueList {
  readonly #issues: ConfigIssue[] = [];

  add(path: string, message: string): void {
    this.#issues.push({ path, message });
  }

  get count(): number {
    return this.#issues.length;
  }

  throwIfAny(source: string | undefined): void {
    if (this.#issues.length > 0) throw new ConfigError(source, [...this.#issues]);
  }
}

/** `parent.key`, or `key` at the top. */
export function fieldPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** `parent[index]`. */
export function itemPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}

/** A value quoted for a message, shortened; only for fields that are not secret. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
