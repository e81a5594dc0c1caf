/**
 * Random AWS cron expressions for property tests, from a seeded PRNG so that a failure names a
 * seed that reproduces it. Biased towards what is hard: the hours around DST changes (1-3 local,
 * and minute 45 for Chatham's 2:45), March/April and September-November, and every special day
 * form (L, L-n, LW, nW, nL, n#k, day-of-week L), plus lists, ranges that wrap, steps and names.
 */

export type Random = () => number;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

export interface RandomCronOptions {
  /** Only expressions with at most a few runs a day (a single minute, few hours). */
  readonly sparse: boolean;
}

export function randomCron(random: Random, { sparse }: RandomCronOptions): string {
  const minute = sparse
    ? String(pick(random, [0, 0, 15, 30, 45, 59, int(random, 0, 59)]))
    : pick(random, [
        () => String(pick(random, [0, 30, 45])),
        () => `${int(random, 0, 14)}/15`,
        () => '*/20',
        () => `${int(random, 0, 29)},${int(random, 30, 59)}`,
        () => `${int(random, 40, 50)}-${int(random, 51, 59)}`,
      ])();
  const hour = sparse
    ? pick(random, [
        () => String(int(random, 0, 4)),
        () => String(int(random, 0, 23)),
        () => `${int(random, 0, 3)},${int(random, 12, 23)}`,
        () => `${int(random, 1, 3)}-${int(random, 2, 4)}`,
        () => '22-2/2',
      ])()
    : pick(random, [
        () => '*',
        () => '*/3',
        () => `${int(random, 0, 5)}/4`,
        () => '1-11/2',
        () => `${int(random, 20, 23)}-${int(random, 0, 3)}`,
        () => String(int(random, 0, 3)),
        () => '1,2,3',
      ])();
  const month = pick(random, ['*', '*', '*', '*', 'MAR,APR,OCT', 'SEP-NOV', 'NOV-APR', '1/3', '3-4', 'FEB', 'oct']);
  const year = pick(random, ['*', '*', '*', '*', '*', '*', '2027', '2028', '2026-2028', '2027/2', '2020', '2028,2100,2199', '1975-1980']);
  const [dayOfMonth, dayOfWeek] = random() < 0.5 ? ['?', weekdayField(random)] : [monthDayField(random), '?'];
  return `cron(${minute} ${hour} ${dayOfMonth} ${month} ${dayOfWeek} ${year})`;
}

function monthDayField(random: Random): string {
  return pick(random, [
    () => '*',
    () => String(int(random, 1, 31)),
    () => `${int(random, 1, 9)},${int(random, 10, 31)}`,
    () => `${int(random, 25, 31)}-${int(random, 1, 5)}`,
    () => `${int(random, 1, 10)}/${int(random, 2, 10)}`,
    () => 'L',
    () => `L-${int(random, 0, 30)}`,
    () => 'LW',
    () => `${int(random, 1, 31)}W`,
    () => pick(random, ['1W', '30W', '31W', '29W']),
  ])();
}

function weekdayField(random: Random): string {
  const day = () => pick(random, [String(int(random, 1, 7)), pick(random, ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'])]);
  return pick(random, [
    () => '*',
    day,
    () => 'MON-FRI',
    () => 'FRI-MON',
    () => '1,4,7',
    () => `${int(random, 1, 3)}/2`,
    () => '2-6/2',
    () => 'L',
    () => `${day()}L`,
    () => `${day()}#${int(random, 1, 5)}`,
  ])();
}
