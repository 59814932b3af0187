// The ingest boundary's translation of parser and decoder failures into sentences a user can act on:
// a raw JavaScript message ("Offset is outside the bounds of the DataView") says what is wrong with the
// file instead, and each problem is classed as damaged (the file's structure is broken) or unreadable.
import type { FileStatus } from '../api';

interface Rule {
  test: RegExp;
  status: 'damaged' | 'unreadable';
  sentence: string;
}

const RULES: Rule[] = [
  {
    test: /outside the bounds of the DataView|out of bounds|offset is out of bounds|out of range|Invalid typed array length|source is too large|Start offset .* is outside/i,
    status: 'damaged',
    sentence: 'damaged: the file ends before the data it declares (a length or offset inside it points past its end)',
  },
  {
    test: /unexpected EOF|unexpected end|premature end|end of (the )?(data|file|buffer|stream)|truncated/i,
    status: 'damaged',
    sentence: 'damaged: the file ends early (truncated)',
  },
  {
    test: /invalid (block type|distance|length\/literal|code lengths|stored block|huffman|literal)|incorrect header check|invalid zlib|unknown compression|incorrect data check|too many length or distance/i,
    status: 'damaged',
    sentence: 'damaged: the compressed data inside the file is corrupt',
  },
  {
    test: /marker was not found|Invalid marker|SOI not found|unknown marker/i,
    status: 'damaged',
    sentence: 'damaged: the JPEG data is broken (a marker is missing or in the wrong place)',
  },
  {
    test: /Array buffer allocation failed|allocation failed|out of memory/i,
    status: 'unreadable',
    sentence: 'unreadable: the file is too large to decode in this browser',
  },
  {
    test: /is not a function|Cannot read propert|undefined is not|null is not|is not defined/i,
    status: 'unreadable',
    sentence: 'unreadable: the decoder could not make sense of this file (its structure is not what the format expects)',
  },
];

/** Classifies and rewrites one error message of a file. Messages that are already sentences stay. */
export function explainFileError(message: string): { status: Extract<FileStatus, 'damaged' | 'unreadable'>; message: string } {
  const m = message.trim();
  if (/^damaged:/i.test(m)) return { status: 'damaged', message: m };
  for (const r of RULES) if (r.test.test(m)) return { status: r.status, message: r.sentence };
  return { status: 'unreadable', message: m || 'unreadable: no reason given' };
}
