// A small, safe XML reader for HL7 aECG files inside a worker, where DOMParser does not exist. It builds a
// plain element tree with caps on input size, depth and element count, strips namespace prefixes, and never
// expands entities beyond the five predefined ones and numeric character references (a DOCTYPE is refused,
// so no entity can be defined and nothing external is ever loaded).
import { fail, ok, type Result } from '../types';

export const MAX_XML_CHARS = 256 * 1024 * 1024;
export const MAX_XML_DEPTH = 64;
export const MAX_XML_ELEMENTS = 2_000_000;

export interface XmlElement {
  /** Local name (namespace prefix removed). */
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated character data directly inside this element. */
  text: string;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string, at: number): string | { error: string } {
  if (s.indexOf('&') < 0) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const k = s.indexOf('&', i);
    if (k < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, k);
    const e = s.indexOf(';', k);
    if (e < 0 || e - k > 12) return { error: `char ${at + k}: bad entity reference` };
    const name = s.slice(k + 1, e);
    if (name in PREDEFINED) out += PREDEFINED[name];
    else if (/^#[0-9]{1,7}$/.test(name) || /^#x[0-9a-fA-F]{1,6}$/.test(name)) {
      const cp = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (cp > 0x10ffff) return { error: `char ${at + k}: bad character reference &${name};` };
      out += String.fromCodePoint(cp);
    } else return { error: `char ${at + k}: entity &${name}; is not defined (only the predefined XML entities are read)` };
    i = e + 1;
  }
  return out;
}

const localName = (q: string) => {
  const k = q.indexOf(':');
  return k < 0 ? q : q.slice(k + 1);
};

const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Parses a whole document to its root element. Never throws. */
export function parseXml(text: string, file: string): Result<XmlElement> {
  if (text.length > MAX_XML_CHARS) return fail(file, `XML too large (${text.length} chars)`);
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const end = lt < 0 ? n : lt;
    if (end > i) {
      const chunk = text.slice(i, end);
      if (stack.length) {
        const d = decodeEntities(chunk, i);
        if (typeof d !== 'string') return fail(file, d.error);
        stack[stack.length - 1].text += d;
      } else if (chunk.trim()) return fail(file, `char ${i}: text outside the root element`);
    }
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const e = text.indexOf('-->', lt + 4);
      if (e < 0) return fail(file, `char ${lt}: unterminated comment`);
      i = e + 3;
    } else if (text.startsWith('<?', lt)) {
      const e = text.indexOf('?>', lt + 2);
      if (e < 0) return fail(file, `char ${lt}: unterminated processing instruction`);
      i = e + 2;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const e = text.indexOf(']]>', lt + 9);
      if (e < 0) return fail(file, `char ${lt}: unterminated CDATA section`);
      if (!stack.length) return fail(file, `char ${lt}: CDATA outside the root element`);
      stack[stack.length - 1].text += text.slice(lt + 9, e);
      i = e + 3;
    } else if (text.startsWith('<!', lt)) {
      return fail(file, `char ${lt}: DOCTYPE and entity declarations are not accepted`);
    } else if (text[lt + 1] === '/') {
      const e = text.indexOf('>', lt);
      if (e < 0) return fail(file, `char ${lt}: unterminated end tag`);
      const name = localName(text.slice(lt + 2, e).trim());
      const top = stack.pop();
      if (!top || top.name !== name) return fail(file, `char ${lt}: end tag </${name}> does not match <${top?.name ?? ''}>`);
      i = e + 1;
    } else {
      // Start tag: find the closing '>' outside quotes.
      let e = lt + 1;
      let q = 0;
      while (e < n) {
        const c = text.charCodeAt(e);
        if (q) {
          if (c === q) q = 0;
        } else if (c === 34 || c === 39) q = c;
        else if (c === 62) break;
        e++;
      }
      if (e >= n) return fail(file, `char ${lt}: unterminated start tag`);
      const selfClosing = text[e - 1] === '/';
      const inner = text.slice(lt + 1, selfClosing ? e - 1 : e);
      const m = /^[^\s/>]+/.exec(inner);
      if (!m) return fail(file, `char ${lt}: bad start tag`);
      const el: XmlElement = { name: localName(m[0]), attrs: {}, children: [], text: '' };
      ATTR.lastIndex = m[0].length;
      for (let a = ATTR.exec(inner); a; a = ATTR.exec(inner)) {
        const v = decodeEntities(a[3] ?? a[4] ?? '', lt);
        if (typeof v !== 'string') return fail(file, v.error);
        el.attrs[localName(a[1])] = v;
      }
      if (++count > MAX_XML_ELEMENTS) return fail(file, `more than ${MAX_XML_ELEMENTS} elements`);
      if (stack.length) stack[stack.length - 1].children.push(el);
      else if (root) return fail(file, `char ${lt}: a second root element`);
      else root = el;
      if (!selfClosing) {
        if (stack.length >= MAX_XML_DEPTH) return fail(file, `char ${lt}: elements nested deeper than ${MAX_XML_DEPTH}`);
        stack.push(el);
      }
      i = e + 1;
    }
  }
  if (stack.length) return fail(file, `end of file inside <${stack[stack.length - 1].name}> (truncated?)`);
  if (!root) return fail(file, 'no XML element found');
  return ok(root);
}

/** Children with a given local name. */
export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
export const childNamed = (el: XmlElement, name: string): XmlElement | undefined => el.children.find((c) => c.name === name);

/** Every descendant with a given local name, depth-first in document order (iterative: no recursion limit). */
export function descendantsNamed(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: XmlElement[] = [...el.children].reverse();
  while (stack.length) {
    const c = stack.pop()!;
    if (c.name === name) out.push(c);
    for (let k = c.children.length - 1; k >= 0; k--) stack.push(c.children[k]);
  }
  return out;
}
