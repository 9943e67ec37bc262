import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { PICKER_LANGUAGES } from './languages.js';

/** The language list as JSON inside a <script type="application/json">: `<` escaped so no text can close the element. */
const LANGUAGES_JSON = JSON.stringify(PICKER_LANGUAGES).replace(/</g, '\\u003c');

const DOCUMENT_TYPES = '.txt,.html,.htm,.srt,.vtt,.docx,.pptx,.odt,.epub';

type Page = HtmlEscapedString | Promise<HtmlEscapedString>;

function layout(title: string, body: Page): Page {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="stylesheet" href="/playground/app.css">
</head>
<body>
<header>
<h1>${title}</h1>
<nav aria-label="Site"><a href="/playground">Playground</a><a href="/docs">API docs</a><a href="/openapi.json">OpenAPI document</a></nav>
</header>
${body}
</body>
</html>`;
}

/** GET /: what this is, and where to go. */
export function landingPage(): Page {
  return layout(
    'Sema Edge translation API',
    html`<main>
<p>Translation for the 200 languages of NLLB-200, with a focus on African languages.</p>
<ul>
<li><a href="/playground">Try it in the playground</a>: type a sentence, pick the languages.</li>
<li><a href="/docs">API documentation</a> (interactive), or the <a href="/openapi.json">OpenAPI document</a>.</li>
<li>LibreTranslate clients work against this host (<code>/translate</code>, <code>/detect</code>, <code>/languages</code>).</li>
</ul>
</main>`,
  );
}

/**
 * GET /playground: the form (every control labelled, in reading order), the result region (announced
 * politely to screen readers) and the embedded language list; /playground/app.js does the rest.
 */
export function playgroundPage(): Page {
  return layout(
    'Sema Edge playground',
    html`<main>
<form id="translate-form" novalidate>
<div class="pickers">
<div class="picker">
<label for="source">From</label>
<input id="source-search" type="search" placeholder="Search by name, native name or code" aria-label="Search source languages" autocomplete="off">
<select id="source" name="source"></select>
</div>
<button type="button" id="swap" class="secondary" aria-label="Swap source and target languages" title="Swap languages">⇄ Swap</button>
<div class="picker">
<label for="target">To</label>
<input id="target-search" type="search" placeholder="Search by name, native name or code" aria-label="Search target languages" autocomplete="off">
<select id="target" name="target"></select>
</div>
</div>
<div class="panes">
<div>
<label for="text">Text to translate</label>
<textarea id="text" name="text" maxlength="5000" spellcheck="true" placeholder="Type or paste text"></textarea>
<div class="row">
<fieldset>
<legend>Format</legend>
<label><input type="radio" name="mode" value="text" checked> Plain text</label>
<label><input type="radio" name="mode" value="html"> HTML</label>
</fieldset>
</div>
<div class="row">
<button type="submit" id="translate">Translate</button>
<label><input type="checkbox" id="live" checked> Translate as you type</label>
<label><input type="checkbox" id="show-alternatives"> Show alternatives</label>
</div>
</div>
<div>
<h2 id="output-heading">Translation</h2>
<div id="output" class="output" role="region" aria-labelledby="output-heading" aria-live="polite"></div>
<p id="detected" class="detected" aria-live="polite"></p>
<p id="meta" class="meta"></p>
<h3 id="alternatives-heading" hidden>Alternatives</h3>
<ol id="alternatives" class="alternatives" aria-labelledby="alternatives-heading"></ol>
<div class="row"><button type="button" id="copy" class="secondary">Copy</button></div>
</div>
</div>
</form>
<p id="error" class="error" role="alert"></p>
<section class="documents" aria-labelledby="documents-heading">
<h2 id="documents-heading">Translate a document</h2>
<form id="document-form">
<label for="file">File (txt, html, srt, vtt, docx, pptx, odt, epub), translated into the language chosen above</label>
<div class="row">
<input id="file" name="file" type="file" accept="${DOCUMENT_TYPES}">
<button type="submit" id="translate-document">Translate document</button>
<a id="download" hidden></a>
</div>
</form>
</section>
<script id="languages-data" type="application/json">${raw(LANGUAGES_JSON)}</script>
<script src="/playground/app.js" defer></script>
</main>`,
  );
}
