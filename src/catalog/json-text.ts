/** JSON columns are text in every dialect; these helpers keep null and undefined apart from JSON. */

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** Text for a JSON column; undefined and null both store SQL NULL. */
export function toJsonText(value: JsonValue | undefined): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** The value of a JSON column, or undefined for SQL NULL. */
export function fromJsonText<T extends JsonValue>(text: string | null): T | undefined {
  return text === null ? undefined : (JSON.parse(text) as T);
}

/** The value of a JSON column that is never NULL. */
export function fromJsonTextRequired<T extends JsonValue>(text: string): T {
  return JSON.parse(text) as T;
}
