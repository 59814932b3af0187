// Findings and report text from a WFDB header's comments, for records that carry their own labels:
// Challenge `# Dx:` SNOMED CT codes and LUDB-style `#<diagnoses>:` lines.
import type { WfdbHeader } from '../wfdb';
import { SNOMED_ECG_NAMES } from './snomed-names';
import { superclassesFromStatements, type EcgSuperclass } from './text-ecg';

export const SNOMED_SINUS_RHYTHM = '426783006';

export type SnomedNames = Record<string, [string, string]>;

export interface HeaderFindings {
  statements: string[];
  classes: EcgSuperclass[];
  meta: Record<string, string | number>;
}

/** Challenge records: codes in `# Dx:` -> names; NORM when the only finding is sinus rhythm. */
export function findingsFromDx(codes: string[], names: SnomedNames = SNOMED_ECG_NAMES): HeaderFindings {
  const statements = codes.map((c) => names[c]?.[0] ?? SNOMED_ECG_NAMES[c]?.[0] ?? `SNOMED CT ${c}`);
  const abbrevs = codes.map((c) => names[c]?.[1] ?? SNOMED_ECG_NAMES[c]?.[1] ?? c);
  let classes = superclassesFromStatements(statements);
  if (codes.length > 0 && codes.every((c) => c === SNOMED_SINUS_RHYTHM)) classes = ['NORM'];
  return { statements, classes, meta: { dx: abbrevs.join(', '), dxCodes: codes.join(',') } };
}

/** Age/sex and findings from header comments (Challenge or LUDB style). */
export function findingsFromHeader(header: WfdbHeader, names?: SnomedNames): HeaderFindings {
  const f = header.commentFields;
  const meta: Record<string, string | number> = {};
  const age = f.Age ?? f.age;
  if (age !== undefined && age !== '' && age.toLowerCase() !== 'nan') meta.age = Number.isFinite(Number(age)) ? Number(age) : age;
  const sex = f.Sex ?? f.sex;
  if (sex) meta.sex = /^f/i.test(sex) ? 'female' : /^m/i.test(sex) ? 'male' : sex;
  if (f.Dx !== undefined) {
    const codes = f.Dx.split(/[,\s]+/).filter((c) => /^\d+$/.test(c));
    const r = findingsFromDx(codes, names);
    return { ...r, meta: { ...meta, ...r.meta } };
  }
  const k = header.comments.findIndex((c) => /^<?diagnoses>?:?\s*$/i.test(c));
  if (k >= 0) {
    const statements = header.comments.slice(k + 1).map((c) => c.replace(/^rhythm:\s*/i, '').trim()).filter((c) => c);
    return { statements, classes: superclassesFromStatements(statements), meta };
  }
  return { statements: [], classes: [], meta };
}
