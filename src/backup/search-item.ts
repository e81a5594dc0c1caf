/** One item of a recovery point's index as a search sees it: an object of a bucket or a file of a directory. */
export interface IndexedItemView {
  /** The object key (S3) or the file's path with a leading `/` (EFS). */
  readonly name: string;
  readonly size: number;
  /** ISO time, when known: an object's LastModified, a file's modification time. */
  readonly modified: string | undefined;
  /** S3 only. */
  readonly etag?: string | undefined;
}
