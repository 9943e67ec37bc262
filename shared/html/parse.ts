import { parse, parseFragment, type DefaultTreeAdapterTypes } from 'parse5';

export type HtmlNode = DefaultTreeAdapterTypes.ChildNode;
export type HtmlElement = DefaultTreeAdapterTypes.Element;
export type HtmlParent = DefaultTreeAdapterTypes.ParentNode;

/**
 * Why parse5: it implements the WHATWG parsing algorithm itself (it is the parser of jsdom), so
 * malformed markup gets the tree a browser builds (implied end tags, the adoption agency for
 * misnested formatting, foster parenting in tables), and `sourceCodeLocationInfo` gives the offsets
 * of every tag, attribute and text node, which lets the output be rebuilt from slices of the original.
 * htmlparser2 is faster but lenient in its own way: its tree is not the browser's for malformed input.
 */
const OPTIONS = { sourceCodeLocationInfo: true, scriptingEnabled: true } as const;

// A whole document starts (after optional comments and whitespace) with a doctype or an <html> tag.
const DOCUMENT_START = /^\uFEFF?(?:\s|<!--[\s\S]*?-->)*<(?:!doctype[\s>]|html[\s>/])/i;

export interface ParsedHtml {
  root: HtmlParent;
  /** A whole document (doctype or <html>), else a body fragment. */
  document: boolean;
}

/** Parses `html` as a browser would: a whole document, or a fragment in a <body> context. Never throws on markup. */
export function parseHtml(html: string): ParsedHtml {
  const document = DOCUMENT_START.test(html);
  return { root: document ? parse(html, OPTIONS) : parseFragment(html, OPTIONS), document };
}

export function isElement(node: HtmlNode | HtmlParent): node is HtmlElement {
  return 'tagName' in node;
}

export function childrenOf(node: HtmlNode | HtmlParent): HtmlNode[] {
  if (node.nodeName === 'template' && 'content' in node) return (node as DefaultTreeAdapterTypes.Template).content.childNodes;
  return 'childNodes' in node ? node.childNodes : [];
}

/**
 * The deepest element nesting of a tree, walked without recursion (so a hostile document cannot
 * overflow the stack before the depth check refuses it).
 */
export function maxDepth(root: HtmlParent): number {
  let deepest = 0;
  const stack: Array<{ node: HtmlNode | HtmlParent; depth: number }> = [{ node: root, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > deepest) deepest = depth;
    for (const child of childrenOf(node)) if (isElement(child)) stack.push({ node: child, depth: depth + 1 });
  }
  return deepest;
}
