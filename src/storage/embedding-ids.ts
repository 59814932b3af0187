// The ids of embedding rows: an item's row carries the item id, a text's row "text:<text>". The id kinds
// are types, and this is the one module that builds or reads the text form, so no caller slices the
// prefix itself (a text that happens to start with "text:" decodes to itself, not to a shorter text).
declare const textIdBrand: unique symbol;

/** The id of a text's embedding row. */
export type TextEmbeddingId = string & { readonly [textIdBrand]: true };

const TEXT_PREFIX = 'text:';

export const textEmbeddingId = (text: string): TextEmbeddingId => `${TEXT_PREFIX}${text}` as TextEmbeddingId;

export const isTextEmbeddingId = (id: string): id is TextEmbeddingId => id.startsWith(TEXT_PREFIX);

/** The text behind a text row's id. */
export const textOfEmbeddingId = (id: TextEmbeddingId): string => id.slice(TEXT_PREFIX.length);
