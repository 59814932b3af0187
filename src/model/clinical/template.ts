// Patient text from a template over metadata columns: "{sex} patient, {view} view." Every "{column}" is
// replaced by the item's value; a column the item lacks (or an empty value) is written as "unknown", so
// the language model sees that the value is missing rather than a silently shorter sentence.

export const MISSING_VALUE = 'unknown';

const PLACEHOLDER = /\{([^{}]+)\}/g;

/** The column names a template refers to, in order of first use. */
export function templateColumns(template: string): string[] {
  const out: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const col = m[1].trim();
    if (col && !out.includes(col)) out.push(col);
  }
  return out;
}

function show(v: unknown): string {
  if (v === undefined || v === null) return MISSING_VALUE;
  if (typeof v === 'number') return Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : MISSING_VALUE;
  const s = String(v).trim();
  return s ? s : MISSING_VALUE;
}

/** Renders the template for one item's metadata. */
export function renderTemplate(template: string, meta: Readonly<Record<string, unknown>>): string {
  return template.replace(PLACEHOLDER, (_, col: string) => show(meta[col.trim()]));
}

/** The paper's MIMIC-IV template (columns of MIMIC's admissions/patients tables). */
export const MIMIC_TEMPLATE = '{gender} patient, who is at the age of {anchor_age}, was admitted as {admission_type}. Location: {admission_location}.';

/** Hannover COVID-19: sex, projection, days since admission and the lab values (never the outcome columns). */
export const HANNOVER_TEMPLATE =
  '{sex} patient, {view} view, admission offset {admission_offset_days} days. CRP {crp_val} mg/l, LDH {ldh_val} U/l, D-dimer {d-dimer_val} mg/l, ' +
  'lymphocytes {lymphocytes_val}, neutrophils {neutrophils_val}, pO2 {po2_val} mmHg, pCO2 {pco2_val} mmHg.';

/** PTB-XL: age, sex, height and weight (never the diagnostic statements). */
export const PTBXL_TEMPLATE = '{sex} patient, age {age}, height {height} cm, weight {weight} kg.';
