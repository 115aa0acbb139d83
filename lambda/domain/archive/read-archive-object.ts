// a replay from the archive, GET /archives/{taskId}/messages --> readArchiveObject --> ArchiveStore.read --> the object's lines
import { type ArchiveLine, parseArchiveLines } from './archive-line';
import { type ArchiveStore,ArchiveStoreError } from './archive-store';

/** An object under an archive's prefix the archive did not write as it writes (not gzip, or lines that are no archived messages). */
export const CORRUPT_OBJECT = 'CorruptObject';

/**
 * One archive object's lines, in the order written; none when it is gone. An object that cannot be
 * read as the archive writes it is refused for good (CorruptObject, naming the key): reading it again
 * will not change it, so a replay over it fails and a reader is told which object it is.
 */
export async function readArchiveObject(store: ArchiveStore, key: string): Promise<ArchiveLine[]> {
  const text = await store.read(key);
  try {
    return parseArchiveLines(text ?? '');
  } catch (error) {
    throw new ArchiveStoreError(CORRUPT_OBJECT, `archive object ${key}: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}
