import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { descendantsNamed, MAX_XML_DEPTH, parseXml } from './xml';

describe('safe XML reader', () => {
  it('reads elements, attributes, text, CDATA and the predefined entities; strips namespace prefixes', () => {
    const r = parseXml(`<?xml version="1.0"?><!-- c --><h:a xmlns:h="urn:x" k='1 &amp; 2'><b v="&lt;&#65;&#x42;"/>t&gt;<![CDATA[<raw>]]></h:a>`, 'x.xml');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.name).toBe('a');
    expect(r.value.attrs.k).toBe('1 & 2');
    expect(r.value.children[0].attrs.v).toBe('<AB');
    expect(r.value.text).toBe('t><raw>');
  });

  it('refuses entity declarations, undefined entities, mismatched tags and too deep nesting', () => {
    const bad: [string, RegExp][] = [
      ['<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>', /DOCTYPE/],
      ['<a>&e;</a>', /entity &e; is not defined/],
      ['<a><b></a>', /does not match/],
      ['<a/><b/>', /second root/],
      ['<a>'.repeat(MAX_XML_DEPTH + 1), /nested deeper/],
      ['', /no XML element/],
    ];
    for (const [xml, re] of bad) {
      const r = parseXml(xml, 'bad.xml');
      expect(r.ok, xml).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(re);
    }
  });

  it('descendant search is iterative (a deep but legal tree)', () => {
    const xml = '<a>'.repeat(MAX_XML_DEPTH - 1) + '<z/>' + '</a>'.repeat(MAX_XML_DEPTH - 1);
    const r = parseXml(xml, 'd.xml');
    if (!r.ok) throw new Error(r.error.message);
    expect(descendantsNamed(r.value, 'z')).toHaveLength(1);
  });

  it('fuzzing (fixed seed): arbitrary text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: fc.constantFrom('<', '>', '/', '!', '?', '&', ';', '"', "'", '=', 'a', ' ', '[', ']', '-', 'C', 'D') }), (s) => {
        const r = parseXml(s, 'f.xml');
        if (!r.ok) expect(r.error.file).toBe('f.xml');
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});
