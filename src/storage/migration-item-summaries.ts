// Schema step: the explorer's packed item summaries (store "itemSummaries", see item-summaries.ts), built
// from every stored item inside the one versionchange transaction, so the upgrade lands whole or not at all.
import { SUMMARY_STORE, packItemSummaries } from './item-summaries';
import type { Migration } from './migrations';
import type { StoredItem } from './types';

export const itemSummariesMigration = (version: number): Migration => ({
  version,
  description: 'itemSummaries store: what the explorer shows of each item, packed in blocks of rows',
  up(db, tx) {
    db.createObjectStore(SUMMARY_STORE, { keyPath: 'seq', autoIncrement: true });
    // Requests of the versionchange transaction keep it open until their callbacks have run.
    void tx
      .objectStore('items')
      .getAll()
      .then((items: StoredItem[]) => {
        for (const b of packItemSummaries(items)) void tx.objectStore(SUMMARY_STORE).add(b);
      });
  },
});
