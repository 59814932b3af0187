// ECG report text in the MEDBind style: "ECG presents <first statement>. Additional findings include <rest>."
// plus the PTB-XL diagnostic superclass in plain words, so every ECG source shares one label vocabulary.
import { seededRandom } from './hash';

export type EcgSuperclass = 'NORM' | 'MI' | 'STTC' | 'CD' | 'HYP';
export const ECG_SUPERCLASSES: readonly EcgSuperclass[] = ['NORM', 'MI', 'STTC', 'CD', 'HYP'];
/** PTB-XL superclass names as used in the zero-shot prompts ("This ECG shows {name}."). */
export const ECG_SUPERCLASS_NAMES: Record<EcgSuperclass, string> = {
  NORM: 'Normal sinus rhythm',
  MI: 'Myocardial Infarction',
  STTC: 'STT Changes',
  CD: 'Conduction disturbance',
  HYP: 'Hypertrophy',
};

const KEYWORDS: [EcgSuperclass, RegExp][] = [
  ['MI', /infarct|\bstemi\b|\bnstemi\b|\bscar\b|myocardial injury|q wave/i],
  ['HYP', /hypertroph|enlargement|overload|atrial abnormality|high voltage|\b[lr]vh\b/i],
  [
    'CD',
    /bundle branch block|hemiblock|fascicular block|\bav[- ]block|av block|atrioventricular block|intra-?ventricular|conduction (delay|disturbance|defect)|pre-?excitation|wolff|\bwpw\b|\b[lr]bbb\b|blockade|heart block/i,
  ],
  ['STTC', /repolari[sz]ation abnormal|ischemi|ischaemi|\bst[- ](segment|depression|elevation|changes|t)\b|t[- ]wave|\bqt\b|t inversion|digitalis|st abnormal|\bstt\b/i],
];

/** Superclasses implied by English finding statements (keyword rules; NORM is decided by the caller). */
export function superclassesFromStatements(statements: string[]): EcgSuperclass[] {
  const found = new Set<EcgSuperclass>();
  for (const s of statements) for (const [cls, re] of KEYWORDS) if (re.test(s)) found.add(cls);
  return ECG_SUPERCLASSES.filter((c) => found.has(c));
}

function sentenceCase(s: string): string {
  return s.length ? s[0].toUpperCase() + s.slice(1) : s;
}

function lowerFirst(s: string): string {
  // Keep acronyms (e.g. "ST", "AV", "QT") as written.
  return /^[A-Z]{2}/.test(s) ? s : s.length ? s[0].toLowerCase() + s.slice(1) : s;
}

function trimStop(s: string): string {
  return s.trim().replace(/[.\s]+$/, '');
}

export function superclassSentence(classes: EcgSuperclass[]): string {
  if (classes.length === 0) return '';
  const names = classes.map((c) => ECG_SUPERCLASS_NAMES[c].toLowerCase().replace('stt', 'STT'));
  return classes.length === 1 ? `Diagnostic class: ${names[0]}.` : `Diagnostic classes: ${names.join(', ')}.`;
}

/** Canonical text: "ECG presents A. Additional findings include B, C. Diagnostic class: x." */
export function ecgReportText(statements: string[], classes: EcgSuperclass[]): string {
  const st = statements.map(trimStop).filter((s) => s.length > 0);
  const parts: string[] = [];
  if (st.length > 0) parts.push(`ECG presents ${lowerFirst(st[0])}.`);
  if (st.length > 1) parts.push(`Additional findings include ${st.slice(1).map(lowerFirst).join(', ')}.`);
  const cls = superclassSentence(classes);
  if (cls) parts.push(cls);
  return parts.join(' ');
}

/** Deterministic alternative phrasings of the same findings (for training-time augmentation). */
export function ecgTextVariants(id: string, statements: string[], classes: EcgSuperclass[]): string[] {
  const st = statements.map(trimStop).filter((s) => s.length > 0).map(lowerFirst);
  if (st.length === 0 && classes.length === 0) return [];
  const rand = seededRandom(`ecg-variants:${id}`);
  const clsNames = classes.map((c) => ECG_SUPERCLASS_NAMES[c]);
  const list = st.join(', ');
  const out = new Set<string>();
  const templates = [
    () => (st.length ? `12-lead ECG showing ${list}.` : ''),
    () => (st.length ? `Findings: ${st.join('; ')}.` : ''),
    () => (st.length > 1 ? `ECG presents ${st[st.length - 1]}. Additional findings include ${st.slice(0, -1).join(', ')}.` : ''),
    () => (clsNames.length ? `Interpretation: ${clsNames.join(' and ')}.` : ''),
    () => (st.length ? `Electrocardiogram: ${sentenceCase(list)}. ${superclassSentence(classes)}`.trim() : ''),
  ];
  const order = templates.map((t) => ({ t, k: rand() })).sort((a, b) => a.k - b.k);
  for (const { t } of order) {
    const s = t();
    if (s) out.add(s);
    if (out.size >= 3) break;
  }
  return [...out];
}
