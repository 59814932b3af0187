// CXR report-style sentences built from labels (no public report text comes with the CXR sets).
// Synonyms follow the CheXpert labeler phrase lists (github.com/stanfordmlgroup/chexpert-labeler, MIT;
// Irvin et al., AAAI 2019); full-word phrases only, so the text reads like a report.
import { seededRandom } from './hash';

interface FindingText {
  /** Canonical sentence. */
  canonical: string;
  /** Alternative sentences (CheXpert synonyms in report-style templates). */
  variants: string[];
}

const NORMAL: FindingText = {
  canonical: 'No evidence of pneumonia. No acute cardiopulmonary abnormality.',
  variants: [
    'The lungs are clear. Heart size is normal.',
    'No focal consolidation, pleural effusion or pneumothorax.',
    'Normal chest radiograph.',
    'No acute cardiopulmonary process.',
    'Clear lungs without evidence of infection.',
  ],
};

const PNEUMONIA: FindingText = {
  canonical: 'Findings suggesting pneumonia.',
  variants: [
    'Airspace opacity consistent with pneumonia.',
    'Findings compatible with an infectious process.',
    'Focal consolidation suggesting infection.',
    'Opacities in keeping with pneumonia.',
    'Airspace disease, likely pneumonia.',
  ],
};

const COVID: FindingText = {
  canonical: 'Multifocal bilateral opacities consistent with viral pneumonia (COVID-19).',
  variants: [
    'Bilateral patchy airspace opacities compatible with COVID-19 pneumonia.',
    'Multifocal opacities in both lungs, in keeping with viral pneumonia (COVID-19).',
    'Bilateral peripheral opacities consistent with COVID-19 infection.',
    'Diffuse bilateral airspace disease consistent with viral pneumonia.',
  ],
};

/** NIH ChestX-ray14 / CheXpert finding names (lower case, '_' -> ' ') -> sentences. */
const FINDINGS: Record<string, FindingText> = {
  'no finding': NORMAL,
  normal: NORMAL,
  pneumonia: PNEUMONIA,
  'covid-19': COVID,
  covid: COVID,
  cardiomegaly: {
    canonical: 'The heart is enlarged (cardiomegaly).',
    variants: ['Cardiomegaly.', 'Enlarged heart.', 'Cardiac enlargement.', 'The cardiac silhouette is enlarged.', 'Heart size is increased.'],
  },
  effusion: {
    canonical: 'Pleural effusion is present.',
    variants: ['Pleural effusion.', 'Pleural fluid is seen.', 'There is an effusion.', 'Blunting from pleural effusion.'],
  },
  'pleural effusion': {
    canonical: 'Pleural effusion is present.',
    variants: ['Pleural effusion.', 'Pleural fluid is seen.', 'There is an effusion.'],
  },
  pneumothorax: {
    canonical: 'There is a pneumothorax.',
    variants: ['Pneumothorax.', 'Pneumothorax is present.', 'Findings of pneumothorax.'],
  },
  infiltration: {
    canonical: 'Pulmonary infiltrate is seen.',
    variants: ['Infiltrate.', 'Airspace opacity.', 'Pulmonary opacity.', 'Interstitial pattern.', 'Increased density in the lung.'],
  },
  atelectasis: {
    canonical: 'Atelectasis is present.',
    variants: ['Atelectasis.', 'Partial lung collapse.', 'Atelectatic changes.'],
  },
  consolidation: {
    canonical: 'Consolidation is seen.',
    variants: ['Consolidation.', 'Focal consolidation.', 'Airspace consolidation.'],
  },
  edema: {
    canonical: 'Pulmonary edema.',
    variants: ['Edema.', 'Pulmonary vascular congestion.', 'Findings of pulmonary congestion.', 'Interstitial edema.'],
  },
  emphysema: {
    canonical: 'Emphysematous changes.',
    variants: ['Emphysema.', 'Hyperinflated lungs with emphysema.'],
  },
  fibrosis: {
    canonical: 'Pulmonary fibrosis.',
    variants: ['Fibrosis.', 'Fibrotic changes in the lungs.', 'Reticular pattern suggesting fibrosis.'],
  },
  hernia: { canonical: 'Hiatal hernia.', variants: ['Hernia.', 'A hiatal hernia is seen.'] },
  mass: {
    canonical: 'A lung mass is seen.',
    variants: ['Mass.', 'Pulmonary mass.', 'Lung lesion.'],
  },
  nodule: {
    canonical: 'A pulmonary nodule is seen.',
    variants: ['Nodule.', 'Nodular opacity.', 'Nodular density in the lung.'],
  },
  'pleural thickening': {
    canonical: 'Pleural thickening.',
    variants: ['Pleural thickening is seen.', 'Pleural scarring.', 'Thickened pleura.'],
  },
  'lung opacity': { canonical: 'Lung opacity is seen.', variants: ['Airspace opacity.', 'Pulmonary opacity.', 'Airspace disease.'] },
  'lung lesion': { canonical: 'A lung lesion is seen.', variants: ['Lung lesion.', 'Nodular opacity.', 'Pulmonary mass.'] },
  'enlarged cardiomediastinum': {
    canonical: 'The cardiomediastinal silhouette is enlarged.',
    variants: ['Enlarged cardiomediastinum.', 'Widened mediastinal silhouette.'],
  },
  fracture: { canonical: 'A fracture is seen.', variants: ['Fracture.', 'Rib fracture.'] },
  'support devices': {
    canonical: 'Support devices are present.',
    variants: ['Lines and tubes in place.', 'A catheter is seen.', 'Medical device in place.'],
  },
};

function findingText(label: string): FindingText {
  const key = label.toLowerCase().replace(/_/g, ' ').trim();
  return FINDINGS[key] ?? { canonical: `Findings consistent with ${key}.`, variants: [`${label.replace(/_/g, ' ')}.`] };
}

export interface CxrTextOptions {
  /** e.g. 'bacteria' / 'virus' for Kermany pneumonia. */
  pneumoniaSubtype?: string;
}

/** Canonical report text for a set of CXR labels (deterministic). */
export function cxrReportText(labels: string[], opts: CxrTextOptions = {}): string {
  if (labels.length === 0) return '';
  const texts = labels.map((l) => findingText(l).canonical);
  const sub = opts.pneumoniaSubtype?.toLowerCase();
  if (labels.some((l) => l.toLowerCase() === 'pneumonia') && sub && sub !== 'normal') {
    texts.push(sub.startsWith('bact') ? 'Pattern consistent with bacterial pneumonia.' : sub.startsWith('vir') ? 'Pattern consistent with viral pneumonia.' : `Subtype: ${sub}.`);
  }
  return [...new Set(texts)].join(' ');
}

/** Up to 3 deterministic alternative phrasings of the same labels. */
export function cxrTextVariants(id: string, labels: string[], opts: CxrTextOptions = {}): string[] {
  if (labels.length === 0) return [];
  const rand = seededRandom(`cxr-variants:${id}`);
  const canonical = cxrReportText(labels, opts);
  const out = new Set<string>();
  for (let attempt = 0; attempt < 12 && out.size < 3; attempt++) {
    const parts = labels.map((l) => {
      const ft = findingText(l);
      const choices = [ft.canonical, ...ft.variants];
      return choices[Math.floor(rand() * choices.length)];
    });
    const s = [...new Set(parts)].join(' ');
    if (s !== canonical) out.add(s);
  }
  return [...out];
}
