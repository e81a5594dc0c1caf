/**
 * restic stores Go's os.FileMode (type bits high, permission bits low); the file system speaks
 * POSIX st_mode. These two functions translate between them.
 */

const GO_DIR = 2 ** 31;
const GO_SYMLINK = 2 ** 27;
const GO_DEVICE = 2 ** 26;
const GO_NAMED_PIPE = 2 ** 25;
const GO_SOCKET = 2 ** 24;
const GO_SETUID = 2 ** 23;
const GO_SETGID = 2 ** 22;
const GO_CHAR_DEVICE = 2 ** 21;
const GO_STICKY = 2 ** 20;

const S_IFMT = 0o170000;
const TYPE_PAIRS: ReadonlyArray<readonly [number, number]> = [
  [0o040000, GO_DIR],
  [0o120000, GO_SYMLINK],
  [0o060000, GO_DEVICE],
  [0o020000, GO_DEVICE + GO_CHAR_DEVICE],
  [0o010000, GO_NAMED_PIPE],
  [0o140000, GO_SOCKET],
];

export function goModeFromPosix(mode: number): number {
  let go = mode & 0o777;
  const type = mode & S_IFMT;
  for (const [posix, goType] of TYPE_PAIRS) if (type === posix) go += goType;
  if (mode & 0o4000) go += GO_SETUID;
  if (mode & 0o2000) go += GO_SETGID;
  if (mode & 0o1000) go += GO_STICKY;
  return go;
}

/** Permission bits plus setuid/setgid/sticky, ready for chmod. */
export function posixPermissionsFromGo(go: number): number {
  let mode = go % 0o1000;
  if (hasBit(go, GO_SETUID)) mode |= 0o4000;
  if (hasBit(go, GO_SETGID)) mode |= 0o2000;
  if (hasBit(go, GO_STICKY)) mode |= 0o1000;
  return mode;
}

function hasBit(value: number, bit: number): boolean {
  return Math.floor(value / bit) % 2 === 1;
}
