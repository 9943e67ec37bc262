import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors.js';
import { rebuildXml, xmlParagraphs, type XmlTextRules } from '../../../shared/documents/xml-text.js';

const NS = 'urn:test';
const RULES: XmlTextRules = {
  isParagraph: (e) => e.uri === NS && e.local === 'p',
  isSkipped: (e) => e.local === 'code',
  isSeparator: (e) => e.local === 'br',
};

const SOURCE =
  '<?xml version="1.0"?>\r\n<!-- a comment -->\r\n<doc xmlns="urn:test" a="1 &gt; 0">' +
  '<p>Tom &amp; Jerry <b>run</b><br/>fast 😀</p>\r\n<p>kept <code>x &lt; y</code> end<note><p>inner</p></note>tail</p></doc>';

describe('xmlParagraphs / rebuildXml (saxes positions)', () => {
  it('finds the pieces of each paragraph with their raw ranges and decoded text; a nested paragraph is a unit of its own', () => {
    const paragraphs = xmlParagraphs(SOURCE, RULES, 'part.xml');
    expect(paragraphs.map((p) => p.pieces.map((piece) => [piece.text, SOURCE.slice(piece.start, piece.end), piece.separatedBefore]))).toEqual([
      [['Tom & Jerry ', 'Tom &amp; Jerry ', false], ['run', 'run', false], ['fast 😀', 'fast 😀', true]],
      [['kept ', 'kept ', false], [' end', ' end', false]],
      [['inner', 'inner', false]],
      [['tail', 'tail', false]],
    ]);
  });

  it('rebuilds byte-identically when nothing changed, and changes only the translated character data', () => {
    const paragraphs = xmlParagraphs(SOURCE, RULES, 'part.xml');
    const pieces = paragraphs.flatMap((p) => p.pieces);
    expect(rebuildXml(SOURCE, pieces.map((piece) => ({ piece, text: piece.text })))).toBe(SOURCE);
    const out = rebuildXml(SOURCE, [{ piece: pieces[0]!, text: 'Tom <&> Jerry ' }]);
    expect(out).toBe(SOURCE.replace('Tom &amp; Jerry ', 'Tom &lt;&amp;&gt; Jerry '));
  });

  it('malformed XML is INVALID_DOCUMENT naming the part', () => {
    for (const bad of ['<doc xmlns="urn:test"><p>open</doc>', '<doc><x:p>unbound prefix</x:p></doc>', '<doc>&undefined;</doc>', '']) {
      let error: unknown;
      try {
        xmlParagraphs(bad, RULES, 'word/document.xml');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INVALID_DOCUMENT');
      expect((error as AppError).message).toMatch(/^word\/document\.xml is not well-formed XML: /);
    }
  });
});
