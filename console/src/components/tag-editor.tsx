/** Key-value tags as rows of two labelled inputs, with add and remove. */
import { useId } from 'react';

export interface TagRow {
  readonly key: string;
  readonly value: string;
}

export const tagsFromRows = (rows: readonly TagRow[]): Record<string, string> =>
  Object.fromEntries(rows.filter((r) => r.key.trim() !== '').map((r) => [r.key.trim(), r.value]));

export const rowsFromTags = (tags: Readonly<Record<string, string>> | undefined): TagRow[] =>
  Object.entries(tags ?? {}).map(([key, value]) => ({ key, value }));

export function TagEditor({
  label,
  rows,
  onChange,
  keyLabel = 'Key',
  valueLabel = 'Value',
}: {
  label: string;
  rows: readonly TagRow[];
  onChange: (rows: TagRow[]) => void;
  keyLabel?: string;
  valueLabel?: string;
}) {
  const id = useId();
  const set = (i: number, row: TagRow): void => onChange(rows.map((r, j) => (j === i ? row : r)));
  return (
    <fieldset className="tag-editor">
      <legend>{label}</legend>
      {rows.map((r, i) => (
        <div className="tag-row" key={i}>
          <label htmlFor={`${id}-k${i}`} className="visually-hidden">
            {keyLabel} {i + 1}
          </label>
          <input id={`${id}-k${i}`} placeholder={keyLabel} value={r.key} onChange={(e) => set(i, { ...r, key: e.target.value })} />
          <label htmlFor={`${id}-v${i}`} className="visually-hidden">
            {valueLabel} {i + 1}
          </label>
          <input id={`${id}-v${i}`} placeholder={valueLabel} value={r.value} onChange={(e) => set(i, { ...r, value: e.target.value })} />
          <button
            type="button"
            className="button button-quiet button-small"
            onClick={() => onChange(rows.filter((_, j) => j !== i))}
            aria-label={`Remove ${keyLabel.toLowerCase()} ${r.key || i + 1}`}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="button button-small" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        Add {keyLabel.toLowerCase() === 'key' ? 'tag' : keyLabel.toLowerCase()}
      </button>
    </fieldset>
  );
}
