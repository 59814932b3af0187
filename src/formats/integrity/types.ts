// Result of an integrity check: fine, or a short sentence naming what is damaged and where.
export type IntegrityResult = { ok: true } | { ok: false; damage: string };
