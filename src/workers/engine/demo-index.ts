// Reads public/demo/index.json whatever its exact shape (a list of paths, {files: [{path}]},
// {items: [{files}]}) and keeps only safe same-origin relative paths.

/** Relative file paths listed in the index; throws on a path that leaves the demo folder. */
export function demoPaths(index: unknown): string[] {
  const out: string[] = [];
  collect(index, out);
  for (const raw of out) {
    const p = raw.trim();
    if (/^[a-z][a-z0-9+.-]*:/i.test(p) || p.startsWith('//') || p.includes('\\') || p.split('/').includes('..')) {
      throw new Error(`"${p}" is not a relative path inside demo/`);
    }
  }
  return [...new Set(out.map((p) => p.trim().replace(/^\.?\/+/, '')).filter(Boolean))];
}

/** Strings in arrays and under "path"/"file"/"src" keys are file paths; other fields are metadata. */
function collect(node: unknown, out: string[]): void {
  if (Array.isArray(node)) {
    for (const v of node) {
      if (typeof v === 'string') out.push(v);
      else collect(v, out);
    }
  } else if (node && typeof node === 'object') {
    for (const [key, v] of Object.entries(node)) {
      if (typeof v === 'string' && /^(path|file|src)$/i.test(key)) out.push(v);
      else if (v && typeof v === 'object') collect(v, out);
    }
  }
}
