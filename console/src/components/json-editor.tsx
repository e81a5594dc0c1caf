/** A JSON document in a text area, checked as it is typed: the parse error names the place. */
import { TextAreaField } from './fields';

export function parseJson(text: string): { value?: unknown; error?: string } {
  if (text.trim() === '') return { error: 'Empty: write a JSON document.' };
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: `Not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export function JsonEditor({
  label,
  value,
  onChange,
  rows,
  hint,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  rows?: number;
  hint?: string;
}) {
  const { error } = parseJson(value);
  return <TextAreaField label={label} value={value} onChange={onChange} rows={rows ?? 14} hint={hint} error={error} />;
}

export const pretty = (value: unknown): string => JSON.stringify(value, null, 2);
