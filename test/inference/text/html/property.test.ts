/**
 * The guarantee of options.format "html", over generated HTML, through the real translation service:
 * the output's element tree equals the input's (same elements, attributes, nesting and block order);
 * only text nodes and translated attributes change. Two scripted models: one that keeps the word order
 * (the tree must be identical, siblings in order) and one that reverses the words of every sentence,
 * masks included (inline elements may then move among their siblings, never to another parent, and a
 * reversal that would cross or invert tags must fall back).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Script } from '../../service/scripted-model.js';
import { elementTree, shout, textNodes, translateWith } from './service-support.js';

const word = fc.constantFrom('the', 'child', 'eats', 'bread', 'Good', 'morning', 'water', 'is', 'cold', 'we', 'go', 'home', '&amp;', '&nbsp;', 'caf&eacute;', '42', '{name}', '[1]', 'Sema');
const space = fc.constantFrom(' ', ' ', '\n  ', '');
const text = fc.array(fc.tuple(word, space), { minLength: 1, maxLength: 5 }).map((ws) => ws.map(([w, s]) => w + s).join(' ').trim());
const attribute = fc.constantFrom('', ' class="x"', ' title="Good morning"', " title='the child'", ' id=a1', ' data-x="keep this"', ' aria-label="Close the door"');

interface Gen {
  inline: fc.Arbitrary<string>;
  block: fc.Arbitrary<string>;
}

const { inline, block }: Gen = fc.letrec<{ inline: string; block: string }>((tie) => ({
  inline: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    text,
    fc.tuple(fc.constantFrom('b', 'i', 'em', 'strong', 'a', 'span', 'small', 'sup', 'mark'), attribute, fc.array(tie('inline'), { minLength: 1, maxLength: 3 })).map(
      ([tag, attrs, children]) => `<${tag}${attrs}>${children.join(' ')}</${tag}>`,
    ),
    fc.constantFrom('<br>', '<img src="x.png" alt="the cat">', '<code>x &lt; 1</code>', '<!-- a comment -->', '<span translate="no">the child</span>', '<kbd>Ctrl</kbd>'),
  ),
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom('p', 'h2', 'li', 'td', 'div', 'blockquote'), attribute, fc.array(tie('inline'), { minLength: 1, maxLength: 4 })).map(
      ([tag, attrs, children]) => `<${tag}${attrs}>${children.join(' ')}</${tag}>`,
    ),
    fc.tuple(fc.constantFrom('div', 'section', 'ul', 'article'), fc.array(tie('block'), { minLength: 1, maxLength: 3 }), space).map(
      ([tag, children, s]) => `<${tag}>${s}${children.join(s)}${s}</${tag}>`,
    ),
    fc.constantFrom('<pre>keep  this\n text</pre>', '<div class="notranslate">the child eats</div>', '<script>var a = "<b>";</script>', '<hr>', '<input type="button" value="Go home">'),
  ),
}));

const fragment = fc.array(block, { minLength: 1, maxLength: 4 }).map((blocks) => blocks.join('\n'));
/** Malformed variants: some end tags dropped, as careless markup does. */
const malformed = fc.tuple(fragment, fc.array(fc.nat(), { maxLength: 3 })).map(([html, cuts]) => {
  let out = html;
  for (const cut of cuts) {
    const ends = [...out.matchAll(/<\/(?:b|i|em|p|li|span)>/g)];
    const end = ends[cut % Math.max(1, ends.length)];
    if (end) out = out.slice(0, end.index) + out.slice(end.index + end[0].length);
  }
  return out;
});

/** Reverses the words of a sentence, masks and all. */
const reverse: Script = (source) => ({ text: source.split(' ').reverse().join(' ').toUpperCase() });

async function translated(html: string, script: Script): Promise<{ out: string; warnings: string[] }> {
  const { items } = await translateWith(script, [html], { format: 'html' });
  return { out: items[0]!.translatedText, warnings: items[0]!.warnings };
}

/** Text nodes of a never-translated element (pre, script, code, notranslate, translate=no) are kept: what is left is upper-cased. */
function expectedTexts(html: string): string[] {
  return textNodes(html, false).map((t) => t.toUpperCase());
}

describe('html round trip (property)', () => {
  it('a model keeping word order: identical element tree, every text node translated in place', async () => {
    await fc.assert(
      fc.asyncProperty(fragment, async (html) => {
        const { out, warnings } = await translated(html, shout);
        expect(elementTree(out, false)).toBe(elementTree(html, false));
        expect(warnings).toEqual([]);
        // No text lost, added or moved across nodes: the texts equal the input's up to case and whitespace.
        const outTexts = textNodes(out, false).join('').replace(/\s+/g, ' ').trim();
        const allUpper = expectedTexts(html).join('').replace(/\s+/g, ' ').trim();
        expect(outTexts.toUpperCase()).toBe(allUpper);
      }),
      { numRuns: 150 },
    );
  });

  it('a model reversing word order (masks included): same elements, attributes and parents; order only moves among inline siblings', async () => {
    await fc.assert(
      fc.asyncProperty(fragment, async (html) => {
        const { out } = await translated(html, reverse);
        expect(elementTree(out, false, true)).toBe(elementTree(html, false, true));
      }),
      { numRuns: 150 },
    );
  });

  it('malformed HTML (end tags missing): the browser tree of the input is the browser tree of the output', async () => {
    await fc.assert(
      fc.asyncProperty(malformed, async (html) => {
        const { out } = await translated(html, shout);
        expect(elementTree(out, false)).toBe(elementTree(html, false));
      }),
      { numRuns: 150 },
    );
  });
});
