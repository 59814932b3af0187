// Evaluation statistics shared by every table of the product: AUROC, seeded bootstrap CIs, grouped splits.
export { auroc } from './auroc';
export { bootstrapCi, quantileSorted, type BootstrapOptions, type Interval } from './bootstrap';
export { groupedKFold, groupedSplit } from './grouped-split';
