/** The wall clock, for production; the one place the server reads real time from. */
import type { Clock } from '../backup/clock.js';

export const systemClock: Clock = { now: () => new Date() };
