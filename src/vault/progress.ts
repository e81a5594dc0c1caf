/** Counters that long operations update and progress displays read. */

export interface Progress {
  files: number;
  dirs: number;
  /** Bytes read from the source (or written to the target, for restores). */
  bytes: number;
  /** Expected totals when known (a concurrent scan fills them in). */
  totalFiles?: number;
  totalBytes?: number;
  /** Files taken unchanged from the parent snapshot without reading them. */
  unchangedFiles: number;
}

export type ProgressListener = (progress: Readonly<Progress>) => void;

export function newProgress(): Progress {
  return { files: 0, dirs: 0, bytes: 0, unchangedFiles: 0 };
}
