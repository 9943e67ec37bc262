/**
 * Tiny documents of every supported kind, built in code (fflate for the zip containers), for the
 * document tests of the edge (workerd), shared/documents (Node) and the end-to-end run. Each sample
 * is as small as its format allows while having what the tests check: a paragraph of several
 * differently formatted runs, a plain paragraph, an entry that is not text (copied byte for byte).
 */
import { strToU8, zipSync, type Zippable } from 'fflate';
import { SaxesParser } from 'saxes';

export const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
export const A_NS = 'http://schemas.openxmlformats.org/drawingml/2006/main';

/** Bytes of a non-text entry every container carries, to check it comes back byte-identical. */
export const IMAGE_BYTES = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 3, 250, 251, 252]);

export interface Sample {
  name: string;
  bytes: Uint8Array;
  /** The words of each paragraph's text, as the paragraph holds them (for "translated in place" checks). */
  paragraphs: string[];
}

const text = (s: string) => strToU8(s);

export function txtSample(): Sample {
  const paragraphs = ['The first paragraph\nhas two lines.', 'The second one.'];
  return { name: 'notes.txt', bytes: text(`${paragraphs[0]}\n\n\n${paragraphs[1]}\n`), paragraphs };
}

export const SRT_SOURCE =
  '1\r\n00:00:01,000 --> 00:00:02,500\r\nHello there,\r\nmy good friend.\r\n\r\n2\r\n00:00:03,000 --> 00:00:04,000\r\nSee you soon.\r\n';

export function srtSample(): Sample {
  return { name: 'film.srt', bytes: text(SRT_SOURCE), paragraphs: ['Hello there,\nmy good friend.', 'See you soon.'] };
}

export const VTT_SOURCE =
  'WEBVTT Kind: captions\n\nNOTE This note is not translated.\n\nintro\n00:01.000 --> 00:02.000 align:start line:0\nGood morning\neverybody\n\n00:02.500 --> 00:04.000\n<i>The</i> end.\n';

export function vttSample(): Sample {
  return { name: 'film.vtt', bytes: text(VTT_SOURCE), paragraphs: ['Good morning\neverybody', '<i>The</i> end.'] };
}

export const HTML_SOURCE =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Kept title</title><style>p{color:red}</style></head>\n<body>\n<h1>Big news</h1>\n<p>Read <b>this</b> now.</p>\n</body></html>\n';

export function htmlSample(): Sample {
  return { name: 'page.html', bytes: text(HTML_SOURCE), paragraphs: ['Big news', 'Read this now.'] };
}

function zip(files: Zippable): Uint8Array {
  return zipSync(files);
}

export const DOCX_DOCUMENT =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n' +
  `<w:document xmlns:w="${W_NS}"><w:body>` +
  '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Bold start </w:t></w:r>' +
  '<w:r><w:t>and plain &amp; simple end</w:t></w:r></w:p>' +
  '<w:p><w:r><w:t>A second paragraph</w:t></w:r><w:r><w:tab/></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>after a tab</w:t></w:r></w:p>' +
  '<w:p/>' +
  '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:body></w:document>';

export function docxSample(document = DOCX_DOCUMENT): Sample {
  return {
    name: 'report.docx',
    bytes: zip({
      '[Content_Types].xml': text('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      '_rels/.rels': text('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'),
      'word/document.xml': text(document),
      'word/media/image1.png': [IMAGE_BYTES, { level: 0 }],
    }),
    paragraphs: ['Bold start and plain & simple end', 'A second paragraph after a tab'],
  };
}

export const PPTX_SLIDE =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<p:sld xmlns:a="${A_NS}" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"><p:cSld><p:spTree><p:sp><p:txBody>` +
  '<a:bodyPr/><a:p><a:r><a:rPr lang="en-US" b="1"/><a:t>Slide title</a:t></a:r></a:p>' +
  '<a:p><a:r><a:rPr lang="en-US"/><a:t>Some </a:t></a:r><a:r><a:rPr lang="en-US" u="sng"/><a:t>underlined</a:t></a:r><a:r><a:rPr lang="en-US"/><a:t> words</a:t></a:r></a:p>' +
  '</p:txBody></p:sp></p:spTree></p:cSld></p:sld>';

export function pptxSample(): Sample {
  return {
    name: 'deck.pptx',
    bytes: zip({
      '[Content_Types].xml': text('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
      'ppt/presentation.xml': text('<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'),
      'ppt/slides/slide1.xml': text(PPTX_SLIDE),
      'ppt/media/image1.png': [IMAGE_BYTES, { level: 0 }],
    }),
    paragraphs: ['Slide title', 'Some underlined words'],
  };
}

const ODT_MIMETYPE = 'application/vnd.oasis.opendocument.text';
export const ODT_CONTENT =
  '<?xml version="1.0" encoding="UTF-8"?>\n' +
  '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:text>' +
  '<text:h text:outline-level="1">A heading</text:h>' +
  '<text:p text:style-name="P1">Plain text <text:span text:style-name="T1">in a span</text:span><text:s/>and after.</text:p>' +
  '</office:text></office:body></office:document-content>';

export function odtSample(): Sample {
  return {
    name: 'letter.odt',
    bytes: zip({
      mimetype: [text(ODT_MIMETYPE), { level: 0 }],
      'content.xml': text(ODT_CONTENT),
      'META-INF/manifest.xml': text('<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'),
      'Pictures/image1.png': [IMAGE_BYTES, { level: 0 }],
    }),
    paragraphs: ['A heading', 'Plain text in a span and after.'],
  };
}

export const EPUB_CHAPTER =
  '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' +
  '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Chapter one</title></head><body>' +
  '<h1>The beginning</h1>\n<p>It was a <em>dark</em> night.</p>\n<pre>kept as code</pre>\n<p translate="no">Not this one.</p>' +
  '</body></html>';

export function epubSample(): Sample {
  return {
    name: 'book.epub',
    bytes: zip({
      mimetype: [text('application/epub+zip'), { level: 0 }],
      'META-INF/container.xml': text('<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"/>'),
      'OEBPS/content.opf': text('<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0"/>'),
      'OEBPS/chapter1.xhtml': text(EPUB_CHAPTER),
      'OEBPS/images/cover.png': [IMAGE_BYTES, { level: 0 }],
    }),
    paragraphs: ['Chapter one', 'The beginning', 'It was a dark night.'],
  };
}

/** The XML part of each container sample that holds its text. */
export const TEXT_PART: Record<string, string> = {
  'report.docx': 'word/document.xml',
  'deck.pptx': 'ppt/slides/slide1.xml',
  'letter.odt': 'content.xml',
  'book.epub': 'OEBPS/chapter1.xhtml',
};

export const zipSamples = (): Sample[] => [docxSample(), pptxSample(), odtSample(), epubSample()];
export const textSamples = (): Sample[] => [txtSample(), srtSample(), vttSample(), htmlSample()];

/** A docx whose only entry of text expands to `bytes` (zeros compress ~1000:1): a zip bomb. */
export function zipBomb(bytes: number): Sample {
  const document = new Uint8Array(bytes).fill(0x20);
  return {
    name: 'bomb.docx',
    bytes: zip({ '[Content_Types].xml': text('<Types/>'), 'word/document.xml': document }),
    paragraphs: [],
  };
}

/** `sample` with the encrypted bit (general-purpose flag bit 0) set on its entries, as a password-protected zip has it. */
export function withEncryptedFlag(sample: Sample): Sample {
  const bytes = sample.bytes.slice();
  const view = new DataView(bytes.buffer);
  for (let at = 0; at + 4 <= bytes.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50) view.setUint16(at + 6, view.getUint16(at + 6, true) | 1, true);
    if (signature === 0x02014b50) view.setUint16(at + 8, view.getUint16(at + 8, true) | 1, true);
  }
  return { ...sample, bytes };
}

/**
 * The element tree of an XML text without its character data: one line per start tag (namespace, local
 * name, attributes in order) and end tag. Throws on malformed XML, so it also checks that a part opens.
 */
export function xmlSkeleton(xml: string): string[] {
  const parser = new SaxesParser({ xmlns: true });
  const lines: string[] = [];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes = Object.values(tag.attributes).map((a) => `${a.name}=${a.value}`).join(' ');
    lines.push(`<${tag.uri}|${tag.local} ${attributes}>`);
  });
  parser.on('closetag', (tag) => lines.push(`</${tag.local}>`));
  parser.write(xml).close();
  return lines;
}

/** The non-blank character data of an XML text, decoded, in order. */
export function xmlTexts(xml: string): string[] {
  const parser = new SaxesParser({ xmlns: true });
  const texts: string[] = [];
  parser.on('text', (t) => {
    if (t.trim()) texts.push(t);
  });
  parser.write(xml).close();
  return texts;
}
