/**
 * How the HTML translation treats each element (WHATWG names, lower case as parse5 gives them).
 *
 * Inline elements inside a sentence travel through the model as masks: a container as an open and a
 * close mask around its (translated) content, a void element as one mask. Elements whose content is
 * never translated are one mask when they stand inside a sentence and are skipped when they stand on
 * their own. Every other element is a block: a boundary between translation units.
 */
export const INLINE_CONTAINERS: ReadonlySet<string> = new Set([
  'a', 'abbr', 'acronym', 'b', 'bdi', 'bdo', 'big', 'button', 'cite', 'data', 'del', 'dfn', 'em', 'font', 'i',
  'ins', 'label', 'mark', 'nobr', 'q', 's', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u',
]);

/** Inline elements without content: one mask each. */
export const INLINE_VOIDS: ReadonlySet<string> = new Set(['br', 'wbr', 'img', 'input', 'area']);

/**
 * Never translated, content and attributes: code and its kin, scripts and styles, raw-text and
 * form-content elements, embedded content and foreign (SVG, MathML) subtrees.
 */
export const NEVER_TRANSLATED: ReadonlySet<string> = new Set([
  'script', 'style', 'code', 'pre', 'kbd', 'samp', 'var', 'textarea', 'template', 'noscript', 'iframe',
  'object', 'embed', 'canvas', 'video', 'audio', 'svg', 'math', 'xmp', 'plaintext', 'noembed', 'noframes',
  'meter', 'progress',
]);

/** Never-translated elements that are phrasing content: one atomic mask inside a sentence. */
export const INLINE_NEVER_TRANSLATED: ReadonlySet<string> = new Set([
  'script', 'style', 'code', 'kbd', 'samp', 'var', 'textarea', 'noscript', 'iframe', 'object', 'embed',
  'canvas', 'video', 'audio', 'svg', 'math', 'meter', 'progress', 'template',
]);

/** Attributes translated on any element. */
const TRANSLATED_ATTRIBUTES: ReadonlySet<string> = new Set(['title', 'aria-label', 'alt', 'placeholder']);

/** The input types whose `value` is a visible label. */
const BUTTON_INPUT_TYPES: ReadonlySet<string> = new Set(['button', 'submit', 'reset']);

/** Whether the attribute `name` of element `tag` (with its attributes `attrs`) is translated. */
export function isTranslatedAttribute(tag: string, name: string, attrs: ReadonlyArray<{ name: string; value: string }>): boolean {
  if (TRANSLATED_ATTRIBUTES.has(name)) return true;
  if (name !== 'value' || tag !== 'input') return false;
  const type = attrs.find((a) => a.name === 'type')?.value.trim().toLowerCase();
  return type !== undefined && BUTTON_INPUT_TYPES.has(type);
}

/**
 * Whether an element opts out of translation: the HTML standard's `translate="no"` (any case,
 * surrounding spaces ignored) or Google's class `notranslate`.
 */
export function optsOut(attrs: ReadonlyArray<{ name: string; value: string }>): boolean {
  for (const { name, value } of attrs) {
    if (name === 'translate' && value.trim().toLowerCase() === 'no') return true;
    if (name === 'class' && value.split(/[ \t\n\f\r]+/).includes('notranslate')) return true;
  }
  return false;
}
