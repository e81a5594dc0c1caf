/**
 * A rule's schedule, built from plain choices (every hour, every 12 hours, daily, weekly on
 * chosen days, monthly on a day) or written as AWS cron, with its time zone; the next runs come
 * from the server's own scheduler (POST /_coffer/schedule/preview), shown in that time zone.
 */
import { useEffect, useId, useState } from 'react';
import { useConsole } from '../../console-context';
import { SelectField, TextField } from '../../components/fields';
import { formatRun } from '../../format';

type Frequency = 'hourly' | 'twelve' | 'daily' | 'weekly' | 'monthly' | 'custom';

interface Builder {
  readonly frequency: Frequency;
  readonly minute: number;
  readonly hour: number;
  readonly weekdays: readonly string[];
  readonly dayOfMonth: string;
}

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const WEEKDAY_NAMES: Readonly<Record<string, string>> = {
  SUN: 'Sunday',
  MON: 'Monday',
  TUE: 'Tuesday',
  WED: 'Wednesday',
  THU: 'Thursday',
  FRI: 'Friday',
  SAT: 'Saturday',
};

export function cronOf(b: Builder): string {
  switch (b.frequency) {
    case 'hourly':
      return `cron(${b.minute} * ? * * *)`;
    case 'twelve':
      return `cron(${b.minute} ${b.hour % 12}/12 ? * * *)`;
    case 'daily':
      return `cron(${b.minute} ${b.hour} ? * * *)`;
    case 'weekly':
      return `cron(${b.minute} ${b.hour} ? * ${b.weekdays.length === 0 ? 'SUN' : b.weekdays.join(',')} *)`;
    case 'monthly':
      return `cron(${b.minute} ${b.hour} ${b.dayOfMonth} * ? *)`;
    case 'custom':
      return '';
  }
}

/** The builder's choices for `expression`, or custom when it is not one of the builder's shapes. */
export function builderOf(expression: string): Builder {
  const base: Builder = { frequency: 'custom', minute: 0, hour: 5, weekdays: ['SUN'], dayOfMonth: '1' };
  const m = /^cron\((\d{1,2}) (\S+) (\S+) \* (\S+) \*\)$/.exec(expression.trim());
  if (m === null) return base;
  const [, min, hour, dom, dow] = m as unknown as [string, string, string, string, string];
  const minute = Number(min);
  if (hour === '*' && dom === '?' && dow === '*') return { ...base, frequency: 'hourly', minute };
  const twelve = /^(\d{1,2})\/12$/.exec(hour);
  if (twelve !== null && dom === '?' && dow === '*') return { ...base, frequency: 'twelve', minute, hour: Number(twelve[1]) };
  if (!/^\d{1,2}$/.test(hour)) return base;
  const h = Number(hour);
  if (dom === '?' && dow === '*') return { ...base, frequency: 'daily', minute, hour: h };
  const days = dow.split(',').map((d) => (/^\d$/.test(d) ? WEEKDAYS[Number(d) - 1] : d.toUpperCase()));
  if (dom === '?' && days.every((d) => d !== undefined && (WEEKDAYS as readonly string[]).includes(d)))
    return { ...base, frequency: 'weekly', minute, hour: h, weekdays: days as string[] };
  if (dow === '?' && /^(\d{1,2}|L)$/.test(dom)) return { ...base, frequency: 'monthly', minute, hour: h, dayOfMonth: dom };
  return base;
}

let zones: string[] | undefined;
function timeZones(): string[] {
  if (zones === undefined) {
    const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
    zones = ['Etc/UTC', ...(intl.supportedValuesOf?.('timeZone') ?? ['Europe/Berlin', 'America/New_York'])];
  }
  return zones;
}

const pad = (n: number): string => String(n).padStart(2, '0');

export function ScheduleBuilder({
  expression,
  timezone,
  onChange,
  label,
}: {
  expression: string;
  timezone: string;
  onChange: (expression: string, timezone: string) => void;
  label: string;
}) {
  const { clients } = useConsole();
  const id = useId();
  const [builder, setBuilder] = useState<Builder>(() => builderOf(expression));
  const [preview, setPreview] = useState<{ runs?: string[]; error?: string; zone?: string }>({});
  const update = (b: Builder): void => {
    setBuilder(b);
    if (b.frequency !== 'custom') onChange(cronOf(b), timezone);
  };
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      clients.coffer.previewSchedule(expression, timezone, 5).then(
        (r) => live && setPreview({ runs: r.runs, zone: r.timezone }),
        (err: unknown) => live && setPreview({ error: err instanceof Error ? err.message : String(err) }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [clients, expression, timezone]);
  const time = `${pad(builder.hour)}:${pad(builder.minute)}`;
  return (
    <fieldset className="schedule-builder">
      <legend>{label}</legend>
      <div className="grid-3">
        <SelectField
          label="Frequency"
          value={builder.frequency}
          onChange={(f) => update({ ...builder, frequency: f })}
          options={[
            { value: 'hourly', label: 'Every hour' },
            { value: 'twelve', label: 'Every 12 hours' },
            { value: 'daily', label: 'Daily' },
            { value: 'weekly', label: 'Weekly' },
            { value: 'monthly', label: 'Monthly' },
            { value: 'custom', label: 'Custom cron expression' },
          ]}
        />
        {builder.frequency === 'hourly' && (
          <SelectField
            label="At minute"
            value={String(builder.minute)}
            onChange={(m) => update({ ...builder, minute: Number(m) })}
            options={Array.from({ length: 12 }, (_, i) => ({ value: String(i * 5), label: `:${pad(i * 5)}` }))}
          />
        )}
        {builder.frequency !== 'hourly' && builder.frequency !== 'custom' && (
          <TextField
            label={builder.frequency === 'twelve' ? 'First run at' : 'At'}
            type="time"
            value={time}
            onChange={(v) => {
              const [h, m] = v.split(':').map(Number);
              if (h !== undefined && m !== undefined && !Number.isNaN(h) && !Number.isNaN(m)) update({ ...builder, hour: h, minute: m });
            }}
          />
        )}
        <TextField
          label="Time zone"
          value={timezone}
          onChange={(z) => onChange(expression, z)}
          list={`${id}-zones`}
          hint="IANA name; runs follow its daylight saving time."
        />
        <datalist id={`${id}-zones`}>
          {timeZones().map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </div>
      {builder.frequency === 'weekly' && (
        <fieldset className="weekdays">
          <legend>On</legend>
          {WEEKDAYS.map((d) => (
            <label key={d} className="chip">
              <input
                type="checkbox"
                checked={builder.weekdays.includes(d)}
                onChange={(e) =>
                  update({
                    ...builder,
                    weekdays: e.target.checked ? WEEKDAYS.filter((w) => w === d || builder.weekdays.includes(w)) : builder.weekdays.filter((w) => w !== d),
                  })
                }
              />
              {WEEKDAY_NAMES[d]}
            </label>
          ))}
        </fieldset>
      )}
      {builder.frequency === 'monthly' && (
        <SelectField
          label="On day"
          value={builder.dayOfMonth}
          onChange={(d) => update({ ...builder, dayOfMonth: d })}
          options={[
            ...Array.from({ length: 28 }, (_, i) => ({ value: String(i + 1), label: String(i + 1) })),
            { value: 'L', label: 'the last day of the month' },
          ]}
        />
      )}
      <TextField
        label="Schedule expression"
        value={expression}
        mono
        onChange={(v) => {
          setBuilder(builderOf(v));
          onChange(v, timezone);
        }}
        hint="AWS cron: minutes hours day-of-month month day-of-week year, one of the day fields ?. Runs must be at least an hour apart."
      />
      <div className="schedule-preview" aria-live="polite">
        {preview.error !== undefined ? (
          <p className="field-error">{preview.error}</p>
        ) : preview.runs === undefined ? (
          <p className="hint">Working out the next runs…</p>
        ) : (
          <>
            <p className="hint">Next runs in {preview.zone}:</p>
            <ol className="runs">
              {preview.runs.map((r) => (
                <li key={r}>{formatRun(r, preview.zone ?? timezone)}</li>
              ))}
            </ol>
          </>
        )}
      </div>
    </fieldset>
  );
}
