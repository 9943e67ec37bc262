/**
 * HTML as the translation sees it (options.format "html"), shared by the edge and the container so
 * both count the same characters: parse5's tree, the element classes (elements.ts) and the plan of
 * what the model translates (plan.ts). Runs in workerd and Node.
 */
import { AppError } from '../errors.js';
import { maxDepth, parseHtml } from './parse.js';
import { planHtml, type HtmlPlan, type RunPart } from './plan.js';

export { INLINE_CONTAINERS, INLINE_NEVER_TRANSLATED, INLINE_VOIDS, NEVER_TRANSLATED, isTranslatedAttribute, optsOut } from './elements.js';
export { childrenOf, isElement, maxDepth, parseHtml, type HtmlElement, type HtmlNode, type HtmlParent, type ParsedHtml } from './parse.js';
export { attributeValueRange, planHtml, type AttributeValue, type HtmlPlan, type RunPart, type TextRun } from './plan.js';

/**
 * The deepest element nesting accepted: Chromium's parser stops nesting at 512 too
 * (kMaximumHTMLParserDOMTreeDepth), so no page a browser renders as written is refused.
 */
export const MAX_HTML_DEPTH = 512;

/**
 * The plan of an HTML item, or VALIDATION_FAILED when it nests deeper than MAX_HTML_DEPTH (the
 * only HTML refused: malformed markup is parsed the way browsers parse it). `where` names the item.
 */
export function checkedHtmlPlan(html: string, where = 'text'): HtmlPlan {
  const parsed = parseHtml(html);
  const depth = maxDepth(parsed.root);
  if (depth > MAX_HTML_DEPTH) {
    throw new AppError('VALIDATION_FAILED', `${where} nests HTML elements ${depth} deep; the limit is ${MAX_HTML_DEPTH}`, {
      details: { depth, limit: MAX_HTML_DEPTH },
    });
  }
  return planHtml(html, parsed);
}

/** The text of a run as the model reads it, without its tags. */
export function runText(parts: readonly RunPart[]): string {
  let text = '';
  for (const part of parts) if (part.kind === 'text') text += part.text;
  return text;
}

/** What the model sees of an HTML item: each text run's text, then each translated attribute value. */
export function htmlModelTexts(plan: HtmlPlan): string[] {
  return [...plan.runs.map((run) => runText(run.parts)), ...plan.attributes.map((a) => a.text)];
}
