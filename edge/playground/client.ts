/**
 * The playground's script (served at /playground/app.js). Plain browser JavaScript, no framework and
 * no build step: it calls the public API exactly like any client (same limits), keeps the state in the
 * URL (?sl=…&tl=…&mode=…&text=…) so a link reproduces it, and reads the language list the page embeds.
 */
export const PLAYGROUND_SCRIPT = String.raw`
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);
  const languages = JSON.parse($('languages-data').textContent);
  const byCode = new Map(languages.map((l) => [l.code, l]));
  const ui = {
    form: $('translate-form'), text: $('text'), source: $('source'), target: $('target'),
    sourceSearch: $('source-search'), targetSearch: $('target-search'), swap: $('swap'),
    live: $('live'), showAlternatives: $('show-alternatives'), translate: $('translate'), output: $('output'), detected: $('detected'),
    alternatives: $('alternatives'), meta: $('meta'), copy: $('copy'), error: $('error'),
    docForm: $('document-form'), file: $('file'), docButton: $('translate-document'), download: $('download'),
  };
  const DEBOUNCE_MS = 600;
  const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  const label = (l) => l.name + (l.native && l.native !== l.name ? ' — ' + l.native : '') + ' (' + l.code + ')';

  /**
   * Shows the languages matching the search; the chosen one always stays in the list (first, when the
   * search leaves it out), so filtering never changes the choice behind the user's back or empties it.
   */
  function fillPicker(select, query, withAuto) {
    const keep = select.value;
    const q = fold(query.trim());
    const match = (l) => !q || fold(l.name).includes(q) || fold(l.native).includes(q) || l.code.toLowerCase().includes(q);
    select.replaceChildren();
    const autoMatches = withAuto && (!q || 'detect language auto'.includes(q));
    if (autoMatches || (withAuto && keep === 'auto')) select.add(new Option('Detect language', 'auto'));
    const kept = byCode.get(keep);
    if (kept && !match(kept)) select.add(new Option(label(kept), kept.code));
    const groups = [['African languages', languages.filter((l) => l.african && match(l))], ['Other languages', languages.filter((l) => !l.african && match(l))]];
    for (const [name, list] of groups) {
      if (list.length === 0) continue;
      const group = document.createElement('optgroup');
      group.label = name;
      for (const l of list) group.append(new Option(label(l), l.code));
      select.append(group);
    }
    if ([...select.options].some((o) => o.value === keep)) select.value = keep;
  }

  function mode() {
    return document.querySelector('input[name="mode"]:checked').value;
  }

  function saveState() {
    const params = new URLSearchParams();
    params.set('sl', ui.source.value || 'auto');
    params.set('tl', ui.target.value);
    if (mode() !== 'text') params.set('mode', mode());
    if (ui.text.value) params.set('text', ui.text.value);
    history.replaceState(null, '', location.pathname + '?' + params.toString());
  }

  function loadState() {
    const params = new URLSearchParams(location.search);
    const sl = params.get('sl');
    const tl = params.get('tl');
    if (sl && (sl === 'auto' || byCode.has(sl))) ui.source.value = sl;
    if (tl && byCode.has(tl)) ui.target.value = tl;
    const m = params.get('mode');
    if (m === 'html') document.querySelector('input[name="mode"][value="html"]').checked = true;
    if (params.has('text')) ui.text.value = params.get('text');
  }

  function showError(message) {
    ui.error.textContent = message;
  }

  /** An API error in words: the envelope's message, and for a 429 when to try again. */
  async function describeFailure(response) {
    let message = 'The service answered ' + response.status + '.';
    try {
      const body = await response.json();
      if (body && body.error && body.error.message) message = body.error.message;
    } catch (e) { /* not JSON */ }
    if (response.status === 429) {
      const retry = Number(response.headers.get('retry-after'));
      return 'Too many requests: ' + message + (Number.isFinite(retry) && retry > 0 ? ' Try again in ' + retry + ' second' + (retry === 1 ? '' : 's') + '.' : '');
    }
    if (response.status >= 500) return 'The translation service is unavailable right now (' + message + '). Please try again in a moment.';
    return message;
  }

  let pending = null;
  let sequence = 0;
  /** The source the last answer detected: what "swap" puts in To while From is "Detect language". */
  let lastDetected = null;

  async function translate() {
    const text = ui.text.value;
    if (!text.trim()) {
      // A request still in flight must not write its (now stale) answer.
      if (pending) pending.abort();
      sequence++;
      saveState();
      ui.output.textContent = '';
      ui.detected.textContent = '';
      ui.meta.textContent = '';
      ui.alternatives.replaceChildren();
      showError('');
      return;
    }
    saveState();
    if (pending) pending.abort();
    const controller = new AbortController();
    pending = controller;
    const mine = ++sequence;
    // Alternatives need beam search (alternatives + 1 beams: that much more model work and budget), so only on request.
    const body = { text, target_language: ui.target.value, options: { format: mode(), alternatives: ui.showAlternatives.checked ? 2 : 0 } };
    if (ui.source.value !== 'auto') body.source_language = ui.source.value;
    ui.translate.disabled = true;
    ui.output.setAttribute('aria-busy', 'true');
    const started = performance.now();
    try {
      const response = await fetch('/api/v1/translate', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: controller.signal,
      });
      if (mine !== sequence) return;
      if (!response.ok) {
        showError(await describeFailure(response));
        return;
      }
      const result = await response.json();
      if (mine !== sequence) return;
      const elapsed = Math.round(performance.now() - started);
      showError('');
      const target = byCode.get(result.target_language);
      ui.output.lang = target ? target.lang : '';
      ui.output.textContent = result.translated_text;
      lastDetected = result.detected ? result.source_language : null;
      if (result.detected) {
        const source = byCode.get(result.source_language);
        const confidence = result.confidence === null ? '' : ', ' + Math.round(result.confidence * 100) + '% confidence';
        ui.detected.textContent = 'Detected: ' + (source ? source.name : result.source_language) + confidence + (result.reliable ? ' (reliable)' : ' (uncertain: choose the source language if this is wrong)');
      } else {
        ui.detected.textContent = '';
      }
      ui.alternatives.replaceChildren();
      for (const alternative of result.alternatives || []) {
        const item = document.createElement('li');
        item.textContent = alternative;
        if (target) item.lang = target.lang;
        ui.alternatives.append(item);
      }
      $('alternatives-heading').hidden = ui.alternatives.children.length === 0;
      const warnings = result.warnings && result.warnings.length ? ' · warnings: ' + result.warnings.join(', ') : '';
      ui.meta.textContent = (result.cached ? 'From the cache' : 'Translated by the model') + ' · ' + elapsed + ' ms' + warnings;
    } catch (err) {
      if (err && err.name === 'AbortError') return;
      showError('Could not reach the translation service. Check your connection and try again.');
    } finally {
      if (mine === sequence) {
        ui.translate.disabled = false;
        ui.output.removeAttribute('aria-busy');
        pending = null;
      }
    }
  }

  let timer = 0;
  function scheduleTranslate() {
    saveState();
    if (!ui.live.checked) return;
    clearTimeout(timer);
    timer = setTimeout(translate, DEBOUNCE_MS);
  }

  ui.form.addEventListener('submit', (event) => { event.preventDefault(); clearTimeout(timer); translate(); });
  ui.text.addEventListener('input', scheduleTranslate);
  for (const select of [ui.source, ui.target]) select.addEventListener('change', scheduleTranslate);
  for (const radio of document.querySelectorAll('input[name="mode"]')) radio.addEventListener('change', scheduleTranslate);
  ui.showAlternatives.addEventListener('change', scheduleTranslate);
  ui.sourceSearch.addEventListener('input', () => fillPicker(ui.source, ui.sourceSearch.value, true));
  ui.targetSearch.addEventListener('input', () => fillPicker(ui.target, ui.targetSearch.value, false));
  ui.swap.addEventListener('click', () => {
    const from = ui.source.value;
    const to = ui.target.value;
    // From "Detect language", the detected source becomes To; before anything was detected there is nothing to swap.
    const newTarget = from !== 'auto' ? from : lastDetected;
    if (!newTarget || newTarget === to) {
      showError(from === 'auto' ? 'Nothing to swap yet: translate something first so the source language is detected, or choose it.' : '');
      return;
    }
    ui.sourceSearch.value = '';
    ui.targetSearch.value = '';
    fillPicker(ui.source, '', true);
    fillPicker(ui.target, '', false);
    ui.target.value = newTarget;
    ui.source.value = to;
    if (ui.output.textContent) ui.text.value = ui.output.textContent;
    scheduleTranslate();
  });
  ui.copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(ui.output.textContent);
      ui.copy.textContent = 'Copied';
    } catch (e) {
      const range = document.createRange();
      range.selectNodeContents(ui.output);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      ui.copy.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => { ui.copy.textContent = 'Copy'; }, 1500);
  });

  ui.docForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = ui.file.files && ui.file.files[0];
    if (!file) { showError('Choose a file to translate first.'); return; }
    const form = new FormData();
    form.append('file', file);
    form.append('target_language', ui.target.value);
    if (ui.source.value !== 'auto') form.append('source_language', ui.source.value);
    ui.docButton.disabled = true;
    ui.download.hidden = true;
    try {
      const response = await fetch('/api/v1/translate-document', { method: 'POST', body: form });
      if (!response.ok) { showError(await describeFailure(response)); return; }
      showError('');
      const blob = await response.blob();
      if (ui.download.href) URL.revokeObjectURL(ui.download.href);
      ui.download.href = URL.createObjectURL(blob);
      const dot = file.name.lastIndexOf('.');
      ui.download.download = (dot > 0 ? file.name.slice(0, dot) : file.name) + '.' + ui.target.value + (dot > 0 ? file.name.slice(dot) : '');
      ui.download.textContent = 'Download ' + ui.download.download;
      ui.download.hidden = false;
      ui.download.focus();
    } catch (e) {
      showError('Could not reach the translation service. Check your connection and try again.');
    } finally {
      ui.docButton.disabled = false;
    }
  });

  fillPicker(ui.source, '', true);
  fillPicker(ui.target, '', false);
  ui.target.value = 'swh_Latn';
  loadState();
  if (ui.text.value) translate();
})();
`;
