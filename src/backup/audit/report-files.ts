/**
 * A report's rows as AWS's two formats: JSON (`{"reportItems": [...]}`, camelCase members) and
 * CSV (one header line naming the columns in words, then one line per row, RFC 4180 quoting),
 * and where a report file goes in its bucket:
 * `<S3KeyPrefix>/Backup/<account>/<region>/<yyyy>/<mm>/<dd>/<report plan>/<template>_<job id>_<yyyymmddThhmmssZ>.<csv|json>`.
 */

export type ReportValue = string | number | undefined;
export type ReportRow = Readonly<Record<string, ReportValue>>;

/** `backupJobId` -> `Backup Job Id`. */
export function columnTitle(member: string): string {
  const words = member.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function csvField(value: ReportValue): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(columns: readonly string[], rows: readonly ReportRow[]): string {
  const lines = [columns.map((c) => csvField(columnTitle(c))).join(','), ...rows.map((row) => columns.map((c) => csvField(row[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export function reportJson(columns: readonly string[], rows: readonly ReportRow[]): string {
  const items = rows.map((row) => Object.fromEntries(columns.filter((c) => row[c] !== undefined).map((c) => [c, row[c]])));
  return `${JSON.stringify({ reportItems: items }, null, 2)}\n`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function reportKey(options: {
  readonly prefix: string | undefined;
  readonly accountId: string;
  readonly region: string;
  readonly planName: string;
  readonly template: string;
  readonly jobId: string;
  readonly at: Date;
  readonly format: 'CSV' | 'JSON';
}): string {
  const at = options.at;
  const date = `${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}/${pad(at.getUTCDate())}`;
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}T${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}Z`;
  const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const file = `${options.template}_${options.jobId}_${stamp}.${options.format.toLowerCase()}`;
  return [...(prefix === '' ? [] : [prefix]), 'Backup', options.accountId, options.region, date, options.planName, file].join('/');
}
