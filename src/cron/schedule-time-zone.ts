/**
 * ScheduleExpressionTimezone: the IANA time zone a rule's cron is read in. Node's Intl is the
 * only source of zone rules (no tz database of our own), so a name is valid when Intl knows it.
 * Intl also takes any capitalisation ("europe/berlin"); we want the name as IANA spells it, so
 * each part must start with a capital letter ("Etc/UTC", "America/Port-au-Prince", "EST5EDT").
 */

export const DEFAULT_SCHEDULE_TIME_ZONE = 'Etc/UTC';

export function isValidTimeZone(name: string): boolean {
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
