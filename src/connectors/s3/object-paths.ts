/**
 * Where each object's bytes go in the snapshot: `objects/<key>`, so a plain `restic restore`
 * gives the bucket as a directory tree. Keys are not always paths, so segments are escaped:
 * `%` becomes `%25`, an empty segment (`a//b`, `dir/`) becomes `%`, `.` and `..` become `%2E`
 * and `%2E%2E`; and a key that is also the prefix of other keys (`a` next to `a/b`) is stored
 * as `a%obj`, since a name cannot be a file and a directory at once. Escaping never produces a
 * bare `%`, so these names cannot collide with an escaped key. The manifest records each path.
 */

export const OBJECTS_DIR = 'objects';
const FILE_BESIDE_DIR = '%obj';

export function escapeSegment(segment: string): string {
  if (segment === '') return '%';
  const escaped = segment.replaceAll('%', '%25');
  if (escaped === '.') return '%2E';
  if (escaped === '..') return '%2E%2E';
  return escaped;
}

function basePath(key: string): string {
  return `${OBJECTS_DIR}/${key.split('/').map(escapeSegment).join('/')}`;
}

/** The snapshot path of every key (all keys of one backup are needed to see file/dir clashes). */
export function objectPaths(keys: readonly string[]): Map<string, string> {
  const bases = keys.map(basePath);
  const dirs = new Set<string>();
  for (const base of bases) {
    for (let cut = base.indexOf('/', OBJECTS_DIR.length + 1); cut !== -1; cut = base.indexOf('/', cut + 1)) dirs.add(base.slice(0, cut));
  }
  return new Map(keys.map((key, i) => [key, dirs.has(bases[i]!) ? `${bases[i]}${FILE_BESIDE_DIR}` : bases[i]!]));
}
