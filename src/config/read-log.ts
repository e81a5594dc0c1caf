/**
 * `log`: Coffer's structured log on stdout: `format` json (one JSON object a line), pretty (one
 * readable line), or auto (pretty on a terminal, else json; the default); `level` debug, info
 * (default: requests and job transitions), warn (failures only), error, silent.
 */
import { fieldPath, quote } from './config-error.js';
import type { ConfigContext } from './config-context.js';
import { readMap, readString } from './raw-fields.js';
import type { LogConfig } from './schema.js';

const FORMATS: readonly LogConfig['format'][] = ['auto', 'json', 'pretty'];
const LEVELS: readonly LogConfig['level'][] = ['debug', 'info', 'warn', 'error', 'silent'];
export const DEFAULT_LOG: LogConfig = { format: 'auto', level: 'info' };

export function readLog(value: unknown, ctx: ConfigContext): LogConfig {
  if (value === undefined || value === null) return DEFAULT_LOG;
  const map = readMap(value, 'log', ['format', 'level'], ctx.issues);
  if (map === undefined) return DEFAULT_LOG;
  const pick = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const given = readString(map, key, 'log', ctx.issues);
    if (given === undefined) return fallback;
    if ((allowed as readonly string[]).includes(given)) return given as T;
    ctx.issues.add(fieldPath('log', key), `must be one of ${allowed.join(', ')}, got ${quote(given)}`);
    return fallback;
  };
  return { format: pick('format', FORMATS, DEFAULT_LOG.format), level: pick('level', LEVELS, DEFAULT_LOG.level) };
}
