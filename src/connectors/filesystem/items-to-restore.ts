/** `ItemsToRestore`: a JSON list of absolute paths inside a directory resource. */
import { RestoreMetadataError } from '../connector.js';

export function parseItemsToRestore(text: string | undefined): readonly string[] | undefined {
  if (text === undefined) return undefined;
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch {
    throw new RestoreMetadataError('ItemsToRestore', 'Metadata ItemsToRestore must be a JSON list of paths, e.g. ["/reports/2024"].');
  }
  if (!Array.isArray(items) || items.length === 0 || !items.every((i) => typeof i === 'string' && i.startsWith('/') && !i.split('/').includes('..'))) {
    throw new RestoreMetadataError(
      'ItemsToRestore',
      'Metadata ItemsToRestore must be a non-empty JSON list of absolute paths inside the resource (starting with /, no ..).',
    );
  }
  return items as string[];
}
