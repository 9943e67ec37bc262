import { MASK_BRACKET, MASK_LIKE } from './mask.js';

/** What a protected span is. */
export type SpanKind =
  | 'mask-like'
  | 'double-brace'
  | 'brace'
  | 'template'
  | 'printf'
  | 'tag'
  | 'url'
  | 'email'
  | 'mention'
  | 'hashtag'
  | 'emoji'
  | 'number'
  | 'term'
  | 'glossary';

/** A protected span: `text` is exactly `source.slice(start, end)`. */
export interface Span {
  kind: SpanKind;
  text: string;
  start: number;
  end: number;
  /** What the mask is restored to when it is not `text` (a glossary's target term). */
  output?: string;
}

export interface Candidate {
  start: number;
  end: number;
  output?: string;
}

export interface Rule {
  kind: SpanKind;
  /** The first match starting at or after `from`; lookbehinds see the whole text, so the context before `from` counts. */
  find(text: string, from: number): Candidate | null;
}

interface RuleOptions {
  /**
   * A cheap global regex that every match contains: a text without it is not searched at all
   * (most sentences have no "@", "%", "{" or "<"), and the search starts at its first occurrence
   * less `reach`, the furthest a match can start before it (default: no limit).
   */
  requires?: RegExp;
  reach?: number;
  /** How much of a match to keep (for trailing punctuation); default: all of it. */
  trim?: (match: string) => number;
}

function regexRule(kind: SpanKind, pattern: RegExp, options: RuleOptions = {}): Rule {
  const { requires, reach = Infinity, trim } = options;
  const find = (text: string, from: number): Candidate | null => {
    let start = from;
    if (requires) {
      requires.lastIndex = from;
      const hint = requires.exec(text);
      if (!hint) return null;
      start = Math.max(from, hint.index - reach);
    }
    pattern.lastIndex = start;
    const m = pattern.exec(text);
    if (!m) return null;
    const length = trim ? trim(m[0]) : m[0].length;
    // A match trimmed to nothing: search on after it.
    if (length === 0) return find(text, m.index + 1);
    return { start: m.index, end: m.index + length };
  };
  return { kind, find };
}

const W = '\\p{L}\\p{M}\\p{N}_'; // word characters of any script

// Sentence punctuation after a URL belongs to the sentence; a closing bracket only when the URL
// has no opening one ("(see https://x.org/a)" vs "https://en.wikipedia.org/wiki/C_(language)").
const URL_TRAILING = /[.,;:!?'"»”’)\]]$/u;
function trimUrl(url: string): number {
  let end = url.length;
  for (;;) {
    const last = url[end - 1];
    if (last === undefined || !URL_TRAILING.test(last)) return end;
    if (last === ')' || last === ']') {
      const open = last === ')' ? '(' : '[';
      const body = url.slice(0, end);
      if (body.split(open).length >= body.split(last).length) return end; // balanced: part of the URL
    }
    end -= 1;
  }
}

// Emoji, by the grammar of UTS #51 (possible emoji, a superset of the RGI list): keycaps, flags
// (regional indicator pairs), and pictographs with an optional presentation selector or skin
// tone, tag sequences (subdivision flags) and ZWJ joins (families, professions, 🏳️‍🌈). Written
// with code point properties: the `v` flag's \p{RGI_Emoji} is a set of ~3,600 strings that V8
// tries one by one (~25 µs per position). Punctuation pictographs ("‼", "⁉") stay text for the
// sentence segmenter. A run of adjacent emoji is one span (one mask instead of several).
const PICTOGRAPH = '(?:(?!\\p{P})\\p{Extended_Pictographic}(?:\\u{FE0F}|\\p{Emoji_Modifier})?(?:[\\u{E0020}-\\u{E007E}]+\\u{E007F})?|\\p{Emoji_Modifier})';
const EMOJI_START = /[0-9#*]\u{FE0F}?\u{20E3}|[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}]/gu;
const ONE_EMOJI = `(?:[0-9#*]\\u{FE0F}?\\u{20E3}|\\p{Regional_Indicator}{2}|${PICTOGRAPH}(?:\\u{200D}${PICTOGRAPH})*)`;

/**
 * The plain-text rules. Where matches of several rules overlap, the one starting first wins,
 * then the longest (so `{{name}}` beats `{name}`, `%1$s` beats `1`, a URL beats what is inside it).
 */
const MASK_LIKE_RULE = regexRule('mask-like', new RegExp(MASK_LIKE.source, 'gu'), { requires: MASK_BRACKET });

const RULES: Rule[] = [
  MASK_LIKE_RULE,
  // Mustache/Handlebars/Angular/i18next, triple braces included: {{name}}, {{{html}}}, {{count, number}}.
  regexRule('double-brace', /\{\{\{?[^{}\n]{1,200}\}?\}\}/gu, { requires: /\{\{/g, reach: 0 }),
  // Python/C#/ICU simple arguments: {}, {0}, {name}, {user.name}, {0:.2f}, {n!r}, {count, number}.
  // Prose in braces ("{see below}") has a space after its first word and is not matched.
  regexRule('brace', new RegExp(`\\{\\s*(?:[\\p{L}\\p{N}_$][${W}$.\\-\\[\\]]*)?\\s*(?:[,:!][^{}\\n]{0,100})?\\}`, 'gu'), { requires: /\{/g, reach: 0 }),
  // JavaScript template literals and Ruby interpolation: ${name}, #{name}.
  regexRule('template', /[$#]\{[^{}\n]{1,200}\}/gu, { requires: /[$#]\{/g, reach: 0 }),
  // printf family: %s %d %1$s %-5.2f %ld %@ %(name)s and %% (protected too: a model that turns
  // "100%%" into "100%" breaks the format string). No space flag: "50% off" is not "% o".
  regexRule(
    'printf',
    new RegExp(
      `%(?:%|(?:[1-9][0-9]*\\$)?(?:\\([A-Za-z_][\\w.]*\\))?[-+#0']*(?:[0-9]+|\\*)?(?:\\.(?:[0-9]+|\\*))?(?:hh|h|ll|l|L|q|j|z|t)?(?:[diouxXeEfFgGaAcspn](?![${W}])|@))`,
      'gu',
    ),
    { requires: /%/g, reach: 0 },
  ),
  // i18next/React numbered tags <0>, </0>, <1/>, and simple named tags without attributes
  // (<b>, </strong>, <br/>: react-intl and i18next <Trans>). The text between tags is translated.
  regexRule('tag', /<\/?(?:[0-9]+|[A-Za-z][\w.-]*)\s*\/?>/gu, { requires: /</g, reach: 0 }),
  regexRule('url', new RegExp(`(?<![${W}])(?:[a-z][a-z0-9+.\\-]{0,20}:\\/\\/|www\\.|mailto:)[^\\s<>"{}|\\\\^\`]+`, 'giu'), {
    requires: /:\/\/|www\.|mailto:/gi,
    reach: 21, // the longest scheme before "://"
    trim: trimUrl,
  }),
  // Local parts of up to 256 characters (RFC 5321 allows 64).
  regexRule('email', new RegExp(`(?<![${W}.%+\\-])[${W}%+\\-][${W}.%+\\-]{0,255}@[\\p{L}\\p{N}][${W}\\-]*(?:\\.[\\p{L}\\p{N}][${W}\\-]*)+`, 'gu'), {
    requires: /@/g,
    reach: 256,
  }),
  regexRule('mention', new RegExp(`(?<![${W}.@/+\\-])@[\\p{L}\\p{N}_](?:[${W}.\\-]*[${W}])?`, 'gu'), { requires: /@/g, reach: 0 }),
  // A letter after "#": "#1" is a number after a sign, "C#" is a word.
  regexRule('hashtag', new RegExp(`(?<![${W}&#/])#[\\p{L}_][${W}]*`, 'gu'), { requires: /#/g, reach: 0 }),
  regexRule('emoji', new RegExp(`${ONE_EMOJI}+`, 'gu'), { requires: EMOJI_START, reach: 0 }),
  // 123, 3.14, 1,000, 1.000,50 (any script's digits); not digits inside words ("mp3", "COVID-19"
  // stay words) nor a part of a version number ("v1.2.3").
  regexRule('number', new RegExp(`(?<![${W}]|\\p{N}[.,]|\\p{L}-)\\p{Nd}+(?:[.,]\\p{Nd}+)*(?![${W}]|[.,]\\p{Nd})`, 'gu'), {
    requires: /\p{Nd}/gu,
    reach: 0,
  }),
];

/**
 * The protected spans of plain `text`, in order, never overlapping: a left-to-right scan where
 * each rule keeps its next match from the current position; the earliest (then longest, then
 * first-listed) wins, and rules whose match it overlaps search again from its end. Every rule's
 * pattern is linear in the text, so the whole scan is too (up to the re-searches).
 */
export function findSpans(text: string, rules: readonly Rule[] = RULES): Span[] {
  const RULES = rules;
  const spans: Span[] = [];
  const next = RULES.map((rule) => rule.find(text, 0));
  let position = 0;
  for (;;) {
    let best = -1;
    for (let i = 0; i < RULES.length; i++) {
      const c = next[i];
      if (!c) continue;
      const b = best >= 0 ? next[best]! : undefined;
      if (!b || c.start < b.start || (c.start === b.start && c.end > b.end)) best = i;
    }
    if (best < 0) return spans;
    const { start, end, output } = next[best]!;
    spans.push({ kind: RULES[best]!.kind, text: text.slice(start, end), start, end, ...(output === undefined ? {} : { output }) });
    position = end;
    for (let i = 0; i < RULES.length; i++) {
      const c = next[i];
      if (c && c.start < position) next[i] = RULES[i]!.find(text, position);
    }
  }
}

/**
 * The rules of a text: with placeholders `auto` every plain-text rule, with `none` only user text that
 * looks like a mask (it must be protected whenever anything is masked); `terms` (protected terms and
 * glossary entries, text/terms) come right after that rule, so on a tie they win over the others.
 */
export function spanRules(mode: 'auto' | 'none', terms: readonly Rule[] = []): Rule[] {
  if (mode === 'none') return [MASK_LIKE_RULE, ...terms];
  return terms.length === 0 ? RULES : [MASK_LIKE_RULE, ...terms, ...RULES.slice(1)];
}
