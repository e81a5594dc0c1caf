/**
 * Labelled form controls: every input has a visible label tied to it, an optional hint and
 * error tied by aria-describedby.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';

interface FieldFrame {
  readonly label: ReactNode;
  readonly hint?: ReactNode;
  readonly error?: string | undefined;
}

function Frame({ id, label, hint, error, children }: FieldFrame & { id: string; children: ReactNode }) {
  return (
    <div className={`field${error !== undefined ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint !== undefined && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error !== undefined && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

const describedBy = (id: string, f: FieldFrame): string | undefined =>
  [f.hint !== undefined ? `${id}-hint` : '', f.error !== undefined ? `${id}-error` : ''].filter((s) => s !== '').join(' ') || undefined;

export function TextField(
  props: FieldFrame & {
    value: string;
    onChange: (v: string) => void;
    placeholder?: string;
    type?: string;
    required?: boolean;
    autoComplete?: string;
    name?: string;
    list?: string;
    spellCheck?: boolean;
    mono?: boolean;
  },
) {
  const id = useId();
  return (
    <Frame id={id} {...props}>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        required={props.required}
        autoComplete={props.autoComplete ?? 'off'}
        list={props.list}
        spellCheck={props.spellCheck ?? false}
        className={props.mono === true ? 'mono' : undefined}
        aria-invalid={props.error !== undefined}
        aria-describedby={describedBy(id, props)}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Frame>
  );
}

export function NumberField(
  props: FieldFrame & { value: number | undefined; onChange: (v: number | undefined) => void; min?: number; max?: number; placeholder?: string },
) {
  const id = useId();
  return (
    <Frame id={id} {...props}>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        value={props.value ?? ''}
        min={props.min}
        max={props.max}
        placeholder={props.placeholder}
        aria-invalid={props.error !== undefined}
        aria-describedby={describedBy(id, props)}
        onChange={(e) => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    </Frame>
  );
}

export function SelectField<V extends string>(props: FieldFrame & { value: V; onChange: (v: V) => void; options: readonly { value: V; label: string }[] }) {
  const id = useId();
  return (
    <Frame id={id} {...props}>
      <select id={id} value={props.value} aria-describedby={describedBy(id, props)} onChange={(e) => props.onChange(e.target.value as V)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

export function TextAreaField(props: FieldFrame & { value: string; onChange: (v: string) => void; rows?: number; mono?: boolean }) {
  const id = useId();
  return (
    <Frame id={id} {...props}>
      <textarea
        id={id}
        value={props.value}
        rows={props.rows ?? 8}
        spellCheck={false}
        className={props.mono === false ? undefined : 'mono'}
        aria-invalid={props.error !== undefined}
        aria-describedby={describedBy(id, props)}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Frame>
  );
}

export function CheckboxField({ label, checked, onChange, hint }: { label: ReactNode; checked: boolean; onChange: (v: boolean) => void; hint?: ReactNode }) {
  const id = useId();
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={hint === undefined ? undefined : `${id}-hint`}
      />
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** A group of radio buttons in a fieldset with its legend. */
export function RadioGroup<V extends string>({
  legend,
  value,
  onChange,
  options,
}: {
  legend: ReactNode;
  value: V;
  onChange: (v: V) => void;
  options: readonly { value: V; label: ReactNode; hint?: ReactNode }[];
}) {
  const name = useId();
  return (
    <fieldset className="radio-group">
      <legend>{legend}</legend>
      {options.map((o) => (
        <div className="radio" key={o.value}>
          <input type="radio" id={`${name}-${o.value}`} name={name} value={o.value} checked={value === o.value} onChange={() => onChange(o.value)} />
          <label htmlFor={`${name}-${o.value}`}>
            {o.label}
            {o.hint !== undefined && <span className="hint"> — {o.hint}</span>}
          </label>
        </div>
      ))}
    </fieldset>
  );
}
