/**
 * Secret: a string that must not leak. It prints as `[secret]` through String(), JSON.stringify
 * and util.inspect, so a config object can be logged or put in an error without exposing an
 * access key's secret; only `reveal()` gives the value, and only SigV4 and the credentials
 * writer should call it.
 */
import { inspect } from 'node:util';

const REDACTED = '[secret]';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
