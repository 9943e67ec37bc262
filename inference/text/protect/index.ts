/**
 * Placeholders and other protected spans in text sent to the model, kept by construction.
 *
 * Policy (`options.placeholders`): `auto` (default) protects every span kind below; `none` sends
 * the text as it is and checks nothing.
 *
 * Span kinds (spans.ts), in plain text and inside ICU messages: `{{name}}` (first, so it is not
 * read as `{name}`), `{name}` `{0}` `{}` `{0:.2f}` `{count, number}`, `${name}` `#{name}`, printf
 * `%s` `%d` `%1$s` `%(name)s` `%.2f` `%@` and `%%` (kept: a model turning "100%%" into "100%"
 * would break the format string), numbered tags `<0>` `</0>` `<1/>` and bare named tags `<b>`
 * (the text between tags is translated), URLs, e-mail addresses, @mentions, #hashtags, emoji
 * (ZWJ sequences, flags, keycaps, skin tones; a run of them is one span) and numbers (123, 3.14,
 * 1,000; not digits inside words such as "mp3"). Overlaps: the span starting first wins, then the
 * longest. User text that looks like a mask is a span too (mask.ts).
 *
 * Masks (mask.ts): `[0]`, `[1]`, … one per span, distinct for identical spans, so a dropped or
 * repeated span is seen. checkMasks accepts an output only when it holds each mask of its
 * source exactly as often and nothing else mask-like; otherwise the text between the masks is
 * translated piece by piece and joined around them (fallbackPlan): word order across spans is
 * then the source's, but no span can be lost, moved into a word or repeated. Warning:
 * `placeholder_fallback`.
 *
 * ICU MessageFormat (icu.ts): text with a plural, select or selectordinal argument that parses is
 * translated per message, its structure (argument names, keywords, selectors, braces, `#`)
 * rebuilt byte-identical from slices of the original, translations ICU-escaped. Text that looks
 * like ICU but does not parse is plain text.
 *
 * The steps, for a caller that segments (the translation service):
 *   prepareText(text, mode) → units (masked) → segment each unit → translateMasked(segments)
 *   (checked per segment, fallback per segment) → reassemble each unit → assemble(units).
 * translateProtected runs the same steps without segmentation.
 *
 * The same masks carry protected terms and glossary entries (text/terms: rules added to the span
 * rules) and HTML's inline tags (text/html: roles per mask, whose nesting checkMasks also checks).
 */
export { checkMasks, type MaskCheck, type MaskProblem } from './check.js';
export { fallbackPlan, pieceEdges, type FallbackPlan } from './fallback.js';
export { escapeIcuLiteral } from './icu-escape.js';
export { icuMessages, type IcuMessages } from './icu.js';
export { MASK, MASK_CLOSE, MASK_LIKE, MASK_OPEN, maskIndex, maskLikeTokensIn, masksIn, maskToken } from './mask.js';
export {
  PLACEHOLDER_FALLBACK,
  prepareText,
  translateMasked,
  translateProtected,
  type MaskedTranslation,
  type PreparedText,
  type Translate,
} from './pipeline.js';
export { protect, restore, type PlaceholderMode, type ProtectedText } from './protect.js';
export { findSpans, spanRules, type Candidate, type Rule, type Span, type SpanKind } from './spans.js';
export { keepsNesting, type MaskRole, type MaskRoles } from './structure.js';
