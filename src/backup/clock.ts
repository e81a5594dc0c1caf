/**
 * The clock the domain reads "now" from. Injected, never `new Date()` or `Date.now()` in the
 * domain, so that tests and sandbox mode's manual clock can move time.
 */

export interface Clock {
  now(): Date;
}
