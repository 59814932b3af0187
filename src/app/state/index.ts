// Public surface of app state: import from 'src/app/state' only.
export * from './studio';
export { errorMessage } from './errors';
export { clearItemData, loadEcg, loadThumbUrl, useEcg, useThumbUrl } from './itemData';
