/**
 * options.format "html" through the real translation service (scripted model, no ONNX): what is
 * translated, what is copied byte for byte, and the element tree kept whatever the model does.
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/errors.js';
import { MAX_HTML_DEPTH } from '../../../../shared/html/index.js';
import type { Script } from '../../service/scripted-model.js';
import { elementTree, shout, textNodes, translateWith } from './service-support.js';

async function html(text: string, script: Script = shout, options = {}) {
  const { items, model } = await translateWith(script, [text], { format: 'html', ...options });
  return { out: items[0]!.translatedText, warnings: items[0]!.warnings, sources: model.runs.flatMap((r) => r.sources) };
}

describe('html: what is translated', () => {
  it('translates block by block, inline tags travel as masks and come back in place', async () => {
    const { out, sources } = await html('<p>Hello <b>bold</b> and <a href="/x">a link</a>.</p><p>Second one.</p>');
    expect(out).toBe('<p>HELLO <b>BOLD</b> AND <a href="/x">A LINK</a>.</p><p>SECOND ONE.</p>');
    expect(sources).toEqual(['Hello [0]bold[1] and [2]a link[3].', 'Second one.']);
  });

  it('never translates script, style, code, pre, kbd, samp, var, comments, translate="no" or notranslate', async () => {
    const input =
      '<p>Run <code>npm test</code> now <kbd>Ctrl</kbd> <samp>ok</samp> <var>x</var><!-- note --></p>' +
      '<pre>keep\n  this</pre><script>var a = "hi";</script><style>p { color: red }</style>' +
      '<div translate="no">stay <b>as is</b></div><p class="x notranslate">also stays</p><p>Say <span translate="NO">Sema</span> please</p>';
    const { out } = await html(input);
    expect(out).toBe(
      '<p>RUN <code>npm test</code> NOW <kbd>Ctrl</kbd> <samp>ok</samp> <var>x</var><!-- note --></p>' +
        '<pre>keep\n  this</pre><script>var a = "hi";</script><style>p { color: red }</style>' +
        '<div translate="no">stay <b>as is</b></div><p class="x notranslate">also stays</p><p>SAY <span translate="NO">Sema</span> PLEASE</p>',
    );
  });

  it('translates alt, title, placeholder, aria-label and the value of button-like inputs only', async () => {
    const input =
      '<p title="A tip">Text <img src="cat.png" alt="A cat"></p><input placeholder="Your name" value="typed text">' +
      '<input type="submit" value="Send now"><button aria-label="Close it">x</button><a href="/about" data-x="no thanks">About</a>';
    const { out } = await html(input);
    expect(out).toBe(
      '<p title="A TIP">TEXT <img src="cat.png" alt="A CAT"></p><input placeholder="YOUR NAME" value="typed text">' +
        '<input type="submit" value="SEND NOW"><button aria-label="CLOSE IT">X</button><a href="/about" data-x="no thanks">ABOUT</a>',
    );
  });

  it('keeps entities, whitespace between blocks, attribute order and quoting outside what it translates', async () => {
    const input = "\n  <ul class='menu'  id=main>\n    <li title='Tom &amp; Jerry'>Tom &amp; Jerry</li>\n\n    <li>caf&eacute;&nbsp;bar</li>\n  </ul>\n";
    const { out } = await html(input);
    expect(out).toBe("\n  <ul class='menu'  id=main>\n    <li title='TOM &amp; JERRY'>TOM &amp; JERRY</li>\n\n    <li>CAFÉ&nbsp;BAR</li>\n  </ul>\n");
  });

  it('escapes what the model writes: markup in a translation stays text', async () => {
    const { out } = await html('<p>Less than</p>', () => ({ text: 'a <b> & "c"' }));
    expect(out).toBe('<p>a &lt;b&gt; &amp; "c"</p>');
    expect(elementTree(out, false)).toBe(elementTree('<p>Less than</p>', false));
  });

  it('quotes an unquoted attribute whose translation needs quotes', async () => {
    const { out } = await html('<img alt=Cat src=x.png>', () => ({ text: 'un chat' }));
    expect(out).toBe('<img alt="un chat" src=x.png>');
  });

  it('translates a whole document: doctype, head and its title, body', async () => {
    const input = '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>My page</title></head>\n<body><h1>Welcome home</h1></body></html>\n';
    const { out } = await html(input);
    expect(out).toBe('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>MY PAGE</title></head>\n<body><h1>WELCOME HOME</h1></body></html>\n');
  });

  it('placeholders in text nodes are protected too', async () => {
    const { out, sources } = await html('<p>Hello {name}, you have <b>3</b> messages</p>');
    expect(sources).toEqual(['Hello [0], you have [1][2][3] messages']);
    expect(out).toBe('<p>HELLO {name}, YOU HAVE <b>3</b> MESSAGES</p>');
  });
});

describe('html: the element tree is kept whatever the model does', () => {
  it('accepts a model that moves inline elements within their element (word order)', async () => {
    const swap: Script = (s) => ({ text: s === 'The [0]red[1] [2]car[3]' ? 'La [2]voiture[3] [0]rouge[1]' : s });
    const { out, warnings } = await html('<p>The <b>red</b> <i>car</i></p>', swap);
    expect(out).toBe('<p>La <i>voiture</i> <b>rouge</b></p>');
    expect(warnings).toEqual([]);
  });

  it('a model that moves a tag out of its element: translated piecewise, placeholder_fallback', async () => {
    const input = '<p>Click <a href="/go">here <b>now</b></a> please</p>';
    // the bold moved out of the link: same masks, other nesting
    const breaker: Script = (s) => ({ text: s.includes('[0]') ? 'Cliquez [0]ici[3] [1]maintenant[2] svp' : s.toUpperCase() });
    const { out, warnings, sources } = await html(input, breaker);
    expect(warnings).toContain('placeholder_fallback');
    expect(elementTree(out, false)).toBe(elementTree(input, false));
    expect(sources).toContain('Click');
    expect(out).toBe('<p>CLICK <a href="/go">HERE <b>NOW</b></a> PLEASE</p>');
  });

  it('a model that drops or repeats tag masks: piecewise, tags where they were', async () => {
    const input = '<p>One <em>two</em> three</p>';
    for (const bad of ['Un deux trois', 'Un [0]deux[1] [0]trois[1]', 'Un [1]deux[0] trois']) {
      const { out, warnings } = await html(input, (s) => ({ text: s.includes('[0]') ? bad : s.toUpperCase() }));
      expect(warnings).toContain('placeholder_fallback');
      expect(out).toBe('<p>ONE <em>TWO</em> THREE</p>');
    }
  });

  it('parses malformed HTML as a browser does and keeps that tree', async () => {
    for (const input of ['<p>Open <b>bold <i>both</b> after</i> end', '<div><p>One<p>Two</div>', '<table>stray text<tr><td>Cell text</td></tr></table>', '<p>a < b & c</p>', '<ul><li>One<li>Two</ul></span>']) {
      const { out } = await html(input);
      expect(elementTree(out, false)).toBe(elementTree(input, false));
      expect(textNodes(out, false).join('')).toBe(textNodes(input, false).join('').toUpperCase());
    }
  });

  it('refuses nesting deeper than MAX_HTML_DEPTH with VALIDATION_FAILED, and accepts it at the limit', async () => {
    const deep = (n: number) => '<div>'.repeat(n) + 'Deep text' + '</div>'.repeat(n);
    const error = await html(deep(MAX_HTML_DEPTH + 1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
    const { out } = await html(deep(MAX_HTML_DEPTH));
    expect(out).toBe(deep(MAX_HTML_DEPTH).replace('Deep text', 'DEEP TEXT'));
  });

  it('an item of markup without text is returned as it is, without a model call', async () => {
    const { out, sources } = await html('<p><code>x = 1</code></p>\n<hr>');
    expect(out).toBe('<p><code>x = 1</code></p>\n<hr>');
    expect(sources).toEqual([]);
  });
});
