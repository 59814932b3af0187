// The shape of demo/sources.json (one entry per data source in the demo library) and its validation.
export interface DataSource {
  id: string;
  name: string;
  citation: string;
  licence: string;
  licenceUrl: string;
  items: number;
}

const isStr = (v: unknown): v is string => typeof v === 'string';

export function checkSources(v: unknown): DataSource[] | null {
  if (!Array.isArray(v)) return null;
  const out: DataSource[] = [];
  for (const s of v) {
    if (typeof s !== 'object' || s === null) return null;
    const r = s as Record<string, unknown>;
    if (!isStr(r.id) || !isStr(r.name) || !isStr(r.citation) || !isStr(r.licence)) return null;
    out.push({
      id: r.id,
      name: r.name,
      citation: r.citation,
      licence: r.licence,
      licenceUrl: isStr(r.licenceUrl) ? r.licenceUrl : '',
      items: typeof r.items === 'number' ? r.items : 0,
    });
  }
  return out;
}

export interface ManifestSummary {
  name: string;
  version: string;
  variant: string;
  embedDim: number;
  demoPairing: boolean;
  trainedOn: string[];
}

export function checkManifest(v: unknown): ManifestSummary | null {
  if (typeof v !== 'object' || v === null) return null;
  const r = v as Record<string, unknown>;
  if (!isStr(r.version)) return null;
  return {
    name: isStr(r.name) ? r.name : 'medbind-studio',
    version: r.version,
    variant: isStr(r.variant) ? r.variant : '?',
    embedDim: typeof r.embedDim === 'number' ? r.embedDim : 0,
    demoPairing: r.demoPairing === true,
    trainedOn: Array.isArray(r.trainedOn) ? r.trainedOn.filter(isStr) : [],
  };
}
