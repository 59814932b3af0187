// Subword vocabulary for report text, in the WordPiece style: a word is either a whole token or a first
// piece followed by "##" continuation pieces. The vocabulary is learned from our corpus by BPE merges
// (start from characters, repeatedly merge the most frequent adjacent pair of symbols) and applied with
// greedy longest-match-first, as BERT does. Every letter a-z and digit 0-9 is in the vocabulary in both
// forms, so an ASCII word is never unknown; only characters outside the alphabet become [UNK].

export const CONT = '##';
const BASE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Lowercase, NFKD with combining marks removed (é -> e), split on anything that is not a letter or digit. */
export function normalizeWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

function symbolsOf(word: string): string[] {
  return [...word].map((ch, i) => (i === 0 ? ch : CONT + ch));
}

function mergeSymbols(a: string, b: string): string {
  return a + b.slice(CONT.length);
}

/**
 * Learns subword tokens from word counts: the base alphabet (plus every character seen) in both forms,
 * then BPE merges until `maxTokens` tokens. Returns the tokens (base first, then merges in order).
 */
export function learnSubwords(wordCounts: Map<string, number>, maxTokens: number): string[] {
  const tokens: string[] = [];
  const have = new Set<string>();
  const add = (t: string) => {
    if (!have.has(t)) {
      have.add(t);
      tokens.push(t);
    }
  };
  const chars = new Set(BASE_ALPHABET);
  for (const w of wordCounts.keys()) for (const ch of w) chars.add(ch);
  for (const ch of [...chars].sort()) {
    add(ch);
    add(CONT + ch);
  }
  const words = [...wordCounts.entries()].map(([w, n]) => ({ syms: symbolsOf(w), n }));
  while (tokens.length < maxTokens) {
    const pairs = new Map<string, number>();
    for (const { syms, n } of words) {
      for (let i = 0; i + 1 < syms.length; i++) {
        const key = `${syms[i]}\u0000${syms[i + 1]}`;
        pairs.set(key, (pairs.get(key) ?? 0) + n);
      }
    }
    let bestKey = '';
    let bestN = 0;
    for (const [k, n] of pairs) if (n > bestN || (n === bestN && k < bestKey)) [bestKey, bestN] = [k, n];
    if (bestN === 0) break; // every word is one symbol
    const [a, b] = bestKey.split('\u0000');
    const merged = mergeSymbols(a, b);
    for (const w of words) {
      const s = w.syms;
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
          out.push(merged);
          i++;
        } else out.push(s[i]);
      }
      w.syms = out;
    }
    add(merged);
  }
  return tokens;
}

/** Greedy longest-match-first pieces of one word; null when a character is not in the vocabulary. */
export function wordPieces(word: string, has: (token: string) => boolean): string[] | null {
  if (has(word)) return [word];
  const chars = [...word];
  const out: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let end = chars.length;
    let piece: string | null = null;
    while (end > start) {
      const sub = (start > 0 ? CONT : '') + chars.slice(start, end).join('');
      if (has(sub)) {
        piece = sub;
        break;
      }
      end--;
    }
    if (piece === null) return null;
    out.push(piece);
    start = end;
  }
  return out;
}
