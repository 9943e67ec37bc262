/**
 * options.format "html": an HTML fragment or document translated with its element tree kept.
 * shared/html parses it (parse5) and plans what the model sees; prepareHtml masks it for the model
 * (inline tags as masks whose nesting is checked) and rebuilds the output from slices of the original.
 */
export { escapeAttribute, escapeText } from './escape.js';
export { prepareHtml } from './prepare.js';
