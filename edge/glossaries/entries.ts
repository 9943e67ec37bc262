import { parse } from 'csv-parse/sync';
import type { GlossaryEntries } from '../../shared/contract/terminology.js';
import { RESERVED_TERM_MESSAGE, TERMINOLOGY_LIMITS } from '../../shared/contract/terminology.js';
import { characterCount } from '../../shared/contract/common.js';
import { AppError } from '../../shared/errors.js';

export type EntriesFormat = 'json' | 'tsv' | 'csv';

/** `__proto__` cannot be a key of a plain object that JSON and structured clone carry faithfully. */
export function reservedTerm(): AppError {
  return new AppError('VALIDATION_FAILED', RESERVED_TERM_MESSAGE);
}

/**
 * The rows of a TSV or CSV glossary file, DeepL's formats: one `source<sep>target` pair per line
 * (CSV: RFC 4180 quoting, parsed by csv-parse; TSV: no quoting, a tab is the only separator). Blank
 * lines are skipped; any other line that is not exactly two fields is refused with its line number.
 */
function rowsOf(text: string, format: 'tsv' | 'csv'): string[][] {
  if (format === 'tsv') {
    const rows: string[][] = [];
    text.split(/\r\n|\n|\r/).forEach((line, index) => {
      if (line.trim() === '') return;
      const fields = line.split('\t');
      if (fields.length !== 2) throw new AppError('VALIDATION_FAILED', `entries line ${index + 1}: expected 'source<TAB>target', got ${fields.length} field(s)`);
      rows.push(fields);
    });
    return rows;
  }
  try {
    const rows = parse(text, { skip_empty_lines: true, relax_column_count: true, bom: true }) as string[][];
    rows.forEach((row, index) => {
      if (row.length !== 2) throw new AppError('VALIDATION_FAILED', `entries row ${index + 1}: expected 'source,target', got ${row.length} field(s)`);
    });
    return rows;
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('VALIDATION_FAILED', `entries: not valid CSV (${err instanceof Error ? err.message.slice(0, 200) : 'parse error'})`);
  }
}

/**
 * A glossary's entries as stored and applied: terms trimmed, none empty or longer than
 * MAX_TERM_CHARACTERS, no source term twice (case-insensitively, as they are matched), at most
 * MAX_GLOSSARY_ENTRIES (GLOSSARY_TOO_LARGE). Every refusal names the offending entry.
 */
export function normalizeEntries(entries: GlossaryEntries | string, format: EntriesFormat): GlossaryEntries {
  let pairs: [string, string][];
  if (typeof entries === 'string') {
    if (format === 'json') throw new AppError('VALIDATION_FAILED', "entries is text: set entries_format to 'tsv' or 'csv' (or send entries as a JSON object)");
    pairs = rowsOf(entries, format).map(([source, target]) => [source!, target!]);
  } else {
    if (format !== 'json') throw new AppError('VALIDATION_FAILED', `entries_format '${format}' needs entries as text`);
    pairs = Object.entries(entries);
  }
  if (pairs.length === 0) throw new AppError('VALIDATION_FAILED', 'a glossary needs at least one entry');
  if (pairs.length > TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES) {
    throw new AppError('GLOSSARY_TOO_LARGE', `a glossary has at most ${TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES} entries; got ${pairs.length}`, {
      details: { limit: TERMINOLOGY_LIMITS.MAX_GLOSSARY_ENTRIES, entries: pairs.length },
    });
  }
  const normalized: GlossaryEntries = {};
  const seen = new Map<string, string>();
  for (const [rawSource, rawTarget] of pairs) {
    const source = rawSource.trim();
    const target = rawTarget.trim();
    if (source === '' || target === '') throw new AppError('VALIDATION_FAILED', `glossary entry ${JSON.stringify(rawSource.slice(0, 50))}: terms must not be empty`);
    for (const term of [source, target]) {
      if (characterCount(term) > TERMINOLOGY_LIMITS.MAX_TERM_CHARACTERS) {
        throw new AppError('VALIDATION_FAILED', `glossary term ${JSON.stringify(term.slice(0, 50))}…: at most ${TERMINOLOGY_LIMITS.MAX_TERM_CHARACTERS} characters`);
      }
    }
    if (source === '__proto__') throw reservedTerm();
    const folded = source.toLowerCase();
    const earlier = seen.get(folded);
    if (earlier !== undefined) throw new AppError('VALIDATION_FAILED', `glossary source term ${JSON.stringify(source)} appears twice (as ${JSON.stringify(earlier)}); terms match case-insensitively`);
    seen.set(folded, source);
    normalized[source] = target;
  }
  return normalized;
}
