/**
 * A clock that moves only when told (`coffer serve --clock manual`), for testing a year of a
 * plan in seconds. It never goes backwards: a plan's history cannot be rewritten.
 */
import type { Clock } from '../backup/clock.js';

export class ManualClock implements Clock {
  #now: number;

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  now(): Date {
    return new Date(this.#now);
  }

  /** Moves to `to`; refuses a time before the present one. */
  set(to: Date): void {
    if (Number.isNaN(to.getTime())) throw new RangeError('the new time is not a valid date');
    if (to.getTime() < this.#now)
      throw new RangeError(`the manual clock only moves forward: it is ${this.now().toISOString()}, and ${to.toISOString()} is earlier`);
    this.#now = to.getTime();
  }
}
