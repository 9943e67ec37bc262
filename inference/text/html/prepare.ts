import { checkedHtmlPlan, type HtmlPlan, type RunPart, type TextRun } from '../../../shared/html/index.js';
import { findSpans, MASK, maskToken, spanRules, type MaskRole, type PlaceholderMode, type PreparedText, type Rule, type Span } from '../protect/index.js';
import { escapeAttribute, escapeText } from './escape.js';

/** What a mask of an HTML unit stands for: a protected span of its text, or a tag part of its run. */
type Slot = { kind: 'span'; span: Span } | { kind: 'tag'; part: Exclude<RunPart, { kind: 'text' }> };

interface MaskedUnit {
  masked: string;
  slots: Slot[];
  roles: Map<number, MaskRole>;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * An HTML fragment or document made ready for the model (options.format "html"). Units: each
 * translated attribute value, then each text run (shared/html's plan), with protected spans masked by
 * `rules` and, in runs, every inline tag as a mask with its role (text/protect/structure.ts), so a
 * sentence whose output moves a tag out of its element is translated piecewise instead. `assemble`
 * rebuilds the output from slices of the original: everything but the translated runs and attribute
 * values is copied byte for byte (entities, whitespace between blocks, attribute order and quoting).
 */
export function prepareHtml(html: string, mode: PlaceholderMode, terms: readonly Rule[] = []): PreparedText {
  const plan = checkedHtmlPlan(html);
  const rules = spanRules(mode, terms);
  const attributes = plan.attributes.map((attr) => maskParts([{ kind: 'text', text: attr.text }], rules));
  const runs = plan.runs.map((run) => maskParts(run.parts, rules));
  const all = [...attributes, ...runs];
  return {
    units: all.map((u) => u.masked),
    checked: true,
    roles: all.map((u) => (u.roles.size > 0 ? u.roles : undefined)),
    assemble: (outputs) => assembleHtml(html, plan, attributes, runs, outputs),
  };
}

function maskParts(parts: readonly RunPart[], rules: readonly Rule[]): MaskedUnit {
  const unit: MaskedUnit = { masked: '', slots: [], roles: new Map() };
  const addMask = (slot: Slot) => {
    unit.masked += maskToken(unit.slots.length);
    unit.slots.push(slot);
  };
  for (const part of parts) {
    if (part.kind !== 'text') {
      unit.roles.set(unit.slots.length, part.kind === 'atomic' ? { kind: 'atomic' } : { kind: part.kind, pair: part.pair });
      addMask({ kind: 'tag', part });
      continue;
    }
    let at = 0;
    for (const span of findSpans(part.text, rules)) {
      unit.masked += part.text.slice(at, span.start);
      addMask({ kind: 'span', span });
      at = span.end;
    }
    unit.masked += part.text.slice(at);
  }
  return unit;
}

function assembleHtml(html: string, plan: HtmlPlan, attributes: MaskedUnit[], runs: MaskedUnit[], outputs: readonly string[]): string {
  if (outputs.length !== attributes.length + runs.length) {
    throw new RangeError(`expected ${attributes.length + runs.length} translated units, got ${outputs.length}`);
  }
  const attributeEdits: Edit[] = plan.attributes.map((attr, i) => ({
    start: attr.start,
    end: attr.end,
    text: escapeAttribute(unmask(outputs[i]!, attributes[i]!, () => ''), attr.quote),
  }));
  // A tag of a run is copied with its own translated attributes (an <a title>, an <img alt>).
  const slice = (start: number, end: number) => applyEdits(html, start, end, attributeEdits.filter((e) => e.start >= start && e.end <= end));
  const runEdits: Edit[] = plan.runs.map((run: TextRun, r) => ({
    start: run.start,
    end: run.end,
    text: renderRun(outputs[attributes.length + r]!, runs[r]!, slice),
  }));
  const outside = attributeEdits.filter((e) => !plan.runs.some((run) => e.start >= run.start && e.end <= run.end));
  return applyEdits(html, 0, html.length, [...runEdits, ...outside].sort((a, b) => a.start - b.start));
}

/** A run's translated text as HTML: text escaped, tag masks copied from the source, spans restored. */
function renderRun(output: string, unit: MaskedUnit, slice: (start: number, end: number) => string): string {
  let out = '';
  let at = 0;
  for (const m of output.matchAll(MASK)) {
    out += escapeText(output.slice(at, m.index));
    at = m.index + m[0].length;
    const slot = unit.slots[Number(m[1])];
    if (!slot) throw new RangeError(`mask ${m[0]} has no slot: assemble only outputs that passed checkMasks`);
    out += slot.kind === 'tag' ? slice(slot.part.start, slot.part.end) : escapeText(slot.span.output ?? slot.span.text);
  }
  return out + escapeText(output.slice(at));
}

/** A unit's output with its span masks restored (plain text; `tag` renders tag masks). */
function unmask(output: string, unit: MaskedUnit, tag: (part: Exclude<RunPart, { kind: 'text' }>) => string): string {
  return output.replace(MASK, (token, digits: string) => {
    const slot = unit.slots[Number(digits)];
    if (!slot) throw new RangeError(`mask ${token} has no slot: assemble only outputs that passed checkMasks`);
    return slot.kind === 'tag' ? tag(slot.part) : (slot.span.output ?? slot.span.text);
  });
}

/** `html.slice(start, end)` with the (sorted, non-overlapping) edits inside it applied. */
function applyEdits(html: string, start: number, end: number, edits: readonly Edit[]): string {
  let out = '';
  let at = start;
  for (const edit of edits) {
    out += html.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + html.slice(at, end);
}
