import type { GlossaryEntries } from '../../../shared/contract/terminology.js';
import type { Candidate, Rule } from '../protect/index.js';
import { followCase } from './case.js';

/** The terminology a request asks for (options.protected_terms, options.glossary). */
export interface Terminology {
  protectedTerms?: readonly string[];
  glossary?: GlossaryEntries;
}

const WORD_CHAR = /[\p{L}\p{M}\p{N}_]/u;
const WORD_RUN = /[\p{L}\p{M}\p{N}_]+/gu;

interface Term {
  /** As written in the request. */
  term: string;
  /** What an occurrence must equal after `fold`. */
  key: string;
  /** A word character at the end: the occurrence must not be followed by one. */
  endsWord: boolean;
  output: (occurrence: string) => string | undefined;
}

function isWordAt(text: string, index: number): boolean {
  const cp = text.codePointAt(index);
  return cp !== undefined && WORD_CHAR.test(String.fromCodePoint(cp));
}

function isWordBefore(text: string, index: number): boolean {
  if (index <= 0) return false;
  const low = text.charCodeAt(index - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && index >= 2 ? index - 2 : index - 1;
  return isWordAt(text, start);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * A rule finding whole-word occurrences of many terms (up to 1000 glossary entries) in linear time:
 * terms that start with a word character are indexed by their first word, so each word of the text
 * costs one map lookup and a comparison per term starting with that word, longest first; the few
 * that start with punctuation (".NET") use one alternation, longest first. Whole word: no word
 * character right before a term that starts with one, nor right after a term that ends with one.
 * (One alternation of 1000 terms with lookarounds costs ~1 s on 5,000 characters: measured.)
 */
function termsRule(kind: Rule['kind'], terms: readonly Term[], fold: (text: string) => string, flags: string): Rule {
  const byFirstWord = new Map<string, Term[]>();
  const others: Term[] = [];
  for (const term of terms) {
    WORD_RUN.lastIndex = 0;
    const first = WORD_RUN.exec(term.term);
    if (first && first.index === 0) {
      const group = byFirstWord.get(fold(first[0])) ?? [];
      group.push(term);
      byFirstWord.set(fold(first[0]), group);
    } else others.push(term);
  }
  for (const group of byFirstWord.values()) group.sort((a, b) => b.term.length - a.term.length);
  others.sort((a, b) => b.term.length - a.term.length);
  const othersPattern =
    others.length === 0 ? null : new RegExp(others.map((t) => escapeRegExp(t.term) + (t.endsWord ? '(?![\\p{L}\\p{M}\\p{N}_])' : '')).join('|'), flags);
  const byKey = new Map(others.map((t) => [t.key, t]));

  const candidate = (text: string, start: number, term: Term): Candidate => {
    const end = start + term.term.length;
    const output = term.output(text.slice(start, end));
    return { start, end, ...(output === undefined ? {} : { output }) };
  };

  const wordStart = (text: string, from: number): Candidate | null => {
    const runs = new RegExp(WORD_RUN.source, 'gu');
    runs.lastIndex = from;
    for (let m = runs.exec(text); m; m = runs.exec(text)) {
      if (isWordBefore(text, m.index)) continue; // a run that began before `from`
      const group = byFirstWord.get(fold(m[0]));
      if (!group) continue;
      for (const term of group) {
        const end = m.index + term.term.length;
        if (end > text.length || fold(text.slice(m.index, end)) !== term.key) continue;
        if (term.endsWord && isWordAt(text, end)) continue;
        return candidate(text, m.index, term);
      }
    }
    return null;
  };

  const punctuationStart = (text: string, from: number): Candidate | null => {
    if (!othersPattern) return null;
    othersPattern.lastIndex = from;
    const m = othersPattern.exec(text);
    if (!m) return null;
    const term = byKey.get(fold(m[0]));
    return term ? candidate(text, m.index, term) : null;
  };

  return {
    kind,
    find(text, from) {
      const a = wordStart(text, from);
      const b = punctuationStart(text, from);
      if (!a || !b) return a ?? b;
      return b.start < a.start || (b.start === a.start && b.end > a.end) ? b : a;
    },
  };
}

const endsWithWord = (term: string) => term.length > 0 && isWordBefore(term, term.length);
const same = (text: string) => text;
const lower = (text: string) => text.toLowerCase();

/**
 * The span rules of a request's terminology, for text/protect's findSpans: protected terms
 * (case-sensitive, restored verbatim) first, then glossary entries (case-insensitive, restored as
 * their target term in the occurrence's case). [] when there is none.
 */
export function terminologyRules(terminology: Terminology): Rule[] {
  const rules: Rule[] = [];
  const terms = [...new Set(terminology.protectedTerms?.filter((t) => t.length > 0) ?? [])];
  if (terms.length > 0) {
    rules.push(termsRule('term', terms.map((term) => ({ term, key: term, endsWord: endsWithWord(term), output: () => undefined })), same, 'gu'));
  }
  const entries = Object.entries(terminology.glossary ?? {}).filter(([source]) => source.length > 0);
  if (entries.length > 0) {
    const glossaryTerms = entries.map(([source, target]): Term => ({
      term: source,
      key: lower(source),
      endsWord: endsWithWord(source),
      output: (occurrence) => followCase(occurrence, source, target),
    }));
    rules.push(termsRule('glossary', glossaryTerms, lower, 'giu'));
  }
  return rules;
}
