// Schema step for content identity: items gain an index on their content hash and on the DICOM SOP
// Instance UID. Stored items keep their ids. Their hash cannot be computed here: the library keeps the
// model input and a thumbnail, not the original bytes. Such an item is matched by name until its file
// is dropped again; ingest then compares the file's model input with the stored one and, when they
// agree, writes the file's hash onto the item (see workers/engine/identity.ts).
import type { Migration } from './migrations';

export function contentIdentityMigration(version: number): Migration {
  return {
    version,
    description: 'items indexed by content hash (sha-256 of their files) and by DICOM SOP Instance UID',
    up(_db, tx) {
      const items = tx.objectStore('items');
      items.createIndex('byContentHash', 'contentHash');
      items.createIndex('byDicomUid', 'dicomUid');
    },
  };
}
