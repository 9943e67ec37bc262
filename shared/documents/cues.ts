import { invalidDocument } from './errors.js';
import type { DocumentFormat } from './handler.js';
import { decodeUtf8, encodeUtf8 } from './text-codec.js';
import { UnitCollector } from './units.js';

/** A blank line ends a cue (SRT and WebVTT alike). */
const BLOCK_BREAK = /(\r?\n(?:[^\S\r\n]*\r?\n)+)/;
const LINE_BREAK = /(\r?\n)/;
const SRT_TIMING = /^\s*\d+:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d+:\d{2}:\d{2}[,.]\d{1,3}/;
const VTT_TIMING = /^\s*(?:\d+:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(?:\d+:)?\d{2}:\d{2}\.\d{3}/;
const VTT_HEADER = /^\uFEFF?WEBVTT(?:[ \t]|\r?\n|$)/;
const VTT_NON_CUE = /^(?:NOTE|STYLE|REGION)(?:[ \t]|\r?\n|$)/;

/**
 * A translated cue text as `count` lines, so a two-line cue stays two lines: the translation's own
 * lines when it kept the count (the container keeps line breaks), else its words spread evenly over
 * as many lines (never an empty one: a blank line would end the cue).
 */
export function fitLines(text: string, count: number): string[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (lines.length === count) return lines;
  const words = lines.join(' ').split(/\s+/).filter(Boolean);
  const rows = Math.max(1, Math.min(count, words.length));
  const total = words.reduce((sum, word) => sum + word.length + 1, 0);
  const out: string[] = [];
  let row: string[] = [];
  let used = 0;
  for (const [i, word] of words.entries()) {
    const rowsAfter = rows - out.length - 1;
    const target = (total * (out.length + 1)) / rows;
    // A new line before a word whose middle would pass this line's share, or when every line left needs one of the words left.
    if (row.length > 0 && rowsAfter > 0 && (used + (word.length + 1) / 2 > target || words.length - i === rowsAfter)) {
      out.push(row.join(' '));
      row = [];
    }
    row.push(word);
    used += word.length + 1;
  }
  if (row.length > 0) out.push(row.join(' '));
  return out;
}

function cueFormat(kind: 'srt' | 'vtt'): DocumentFormat {
  const timing = kind === 'srt' ? SRT_TIMING : VTT_TIMING;
  return {
    extension: kind,
    mediaType: kind === 'srt' ? 'application/x-subrip; charset=utf-8' : 'text/vtt; charset=utf-8',
    extract(bytes, options) {
      const text = decodeUtf8(bytes, 'the file');
      if (kind === 'vtt' && !VTT_HEADER.test(text)) throw invalidDocument('a WebVTT file starts with "WEBVTT"');
      const collector = new UnitCollector(options.maxUnitCharacters);
      let cues = 0;
      const blocks = text.split(BLOCK_BREAK).map((block, b) => {
        const keep = () => block;
        // Odd indices are the blank lines between blocks; WebVTT's first block is its header.
        if (b % 2 === 1 || (kind === 'vtt' && (b === 0 || VTT_NON_CUE.test(block)))) return keep;
        const parts = block.split(LINE_BREAK); // even indices: lines; odd: their line ends
        // A line end that closes the file belongs after the cue, not to an empty last line.
        const tail = parts.length > 1 && parts.at(-1) === '' ? parts.splice(-2).join('') : '';
        const timingAt = parts.findIndex((part, i) => i % 2 === 0 && timing.test(part));
        if (timingAt < 0) return keep;
        cues++;
        const textAt = timingAt + 2;
        const lines = parts.slice(textAt).filter((_, i) => i % 2 === 0);
        if (lines.length === 0) return keep;
        const read = collector.addText(lines.join('\n'));
        const lineEnd = parts[textAt + 1] ?? parts[timingAt + 1] ?? '\n';
        return (translations: readonly string[]) => {
          const translated = fitLines(read(translations), lines.length);
          return parts.slice(0, textAt).join('') + translated.join(lineEnd) + tail;
        };
      });
      if (cues === 0) throw invalidDocument(`the file has no ${kind === 'srt' ? 'SubRip' : 'WebVTT'} cues`);
      if (collector.units.length === 0) throw invalidDocument('the file has no text to translate');
      return {
        units: collector.units,
        rebuild: (translations) => encodeUtf8(blocks.map((read) => read(translations)).join('')),
      };
    },
  };
}

/** .srt: each cue's text translated as one unit; numbers, timings and the lines of each cue kept. */
export const srtFormat = cueFormat('srt');
/** .vtt: the same for WebVTT; the header, NOTE, STYLE and REGION blocks and cue settings are kept. */
export const vttFormat = cueFormat('vtt');
