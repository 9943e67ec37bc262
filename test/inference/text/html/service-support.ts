/**
 * Runs HTML and terminology requests through the real translation service over a scripted model
 * (no ONNX): what the tests of text/html and text/terms need.
 */
import { parseFragment, parse, type DefaultTreeAdapterTypes } from 'parse5';
import type { TranslateOptions } from '../../../../shared/contract/translate.js';
import { validateTranslateRequest } from '../../../../shared/contract/validate.js';
import { isTranslatedAttribute } from '../../../../shared/html/index.js';
import { DEFAULT_LIMITS } from '../../../../shared/limits.js';
import type { LanguageDetector } from '../../../../inference/lid/index.js';
import { BatchedEngine } from '../../../../inference/service/batched-engine.js';
import { SourceDetection, translateRequest } from '../../../../inference/service/translation-service.js';
import { BATCHING, ScriptedModel, type Script } from '../../service/scripted-model.js';

const noDetector: LanguageDetector = { id: 'none', detect: () => Promise.resolve({ candidates: [] }), close() {} };

/** Translates `texts` (eng_Latn → fra_Latn) with `script` as the model; validated as a client's body would be. */
export async function translateWith(script: Script, texts: string[], options: Partial<TranslateOptions>) {
  const model = new ScriptedModel(script);
  const engine = new BatchedEngine(model, BATCHING);
  const request = validateTranslateRequest({ text: texts, source_language: 'eng_Latn', target_language: 'fra_Latn', options }, { ...DEFAULT_LIMITS, MAX_CHARACTERS: 1_000_000 });
  const outcome = await translateRequest(request, engine, new SourceDetection(noDetector), { submit: {}, detectionPolicy: { minConfidence: 0.5 } });
  return { items: outcome.items, model, request };
}

/** The model that shouts: letters upper-cased, masks and everything else kept. */
export const shout: Script = (source) => ({ text: source.toUpperCase() });

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.ParentNode;

/**
 * The element tree of `html` as a browser builds it, text left out: per element its name, its
 * attributes in order (translated attributes by name only) and its child elements. `unordered`
 * sorts siblings, for models that may move inline elements within a sentence.
 */
export function elementTree(html: string, document: boolean, unordered = false): string {
  const root = document ? parse(html) : parseFragment(html);
  return JSON.stringify(shape(root));

  function shape(node: Node): unknown {
    const children = ('childNodes' in node ? node.childNodes : []).filter((c) => 'tagName' in c).map((c) => shape(c));
    if (unordered) children.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    if (!('tagName' in node)) return children;
    const attrs = node.attrs.map((a) => (isTranslatedAttribute(node.tagName, a.name, node.attrs) ? a.name : `${a.name}=${a.value}`));
    return [node.tagName, attrs, children];
  }
}

/** Every text node's value, in document order. */
export function textNodes(html: string, document: boolean): string[] {
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeName === '#text') out.push((node as DefaultTreeAdapterTypes.TextNode).value);
    for (const child of 'childNodes' in node ? node.childNodes : []) walk(child);
    if (node.nodeName === 'template') walk((node as DefaultTreeAdapterTypes.Template).content);
  };
  walk(document ? parse(html) : parseFragment(html));
  return out;
}
