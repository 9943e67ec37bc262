/**
 * The omission rule: a sentence's output is implausibly short for its input when its length, in
 * visible characters (code points that are not whitespace), is below a floor that depends on the
 * source and target scripts:
 *
 *   output / input < OMISSION_RATIO × density(target script) / density(source script)
 *
 * density = characters a script needs for what Latin says in one (Han ≈ 0.3: a Chinese translation
 * of English has about 0.3 of its characters). Calibration: in the fixture's training corpus
 * (models/fixture_builder/corpus.py, 20k sentence triples, Latin ↔ Latin) the shortest translations
 * of sources with at least MIN_CHECKED_CHARACTERS are 0.53 of their source (fra→eng "comment
 * allez-vous" → "how are you"), 0.56 for eng→swh and swh→eng, 0.60 for eng→fra; NLLB-200's
 * eng→swh is about 1.0–1.2. A floor of 0.45 flags none of those and flags an output that dropped
 * about half of a typical sentence (the fixture's "the child eats the bread; the teacher reads the
 * book" → "mtoto anakula mkate" is 0.40). The densities of other scripts are rough estimates, not
 * measured here; scripts not listed count as Latin (1.0), and the margin under typical ratios
 * absorbs estimates off by a third.
 *
 * Short sources vary too much for a ratio ("hapana" → "no" is 0.33): below MIN_CHECKED_CHARACTERS
 * Latin-equivalent characters only an empty output counts as an omission.
 */

/** The floor, as a fraction of the script pair's expected ratio. */
export const OMISSION_RATIO = 0.45;

/** Sources shorter than this many Latin-equivalent visible characters are not ratio-checked. */
export const MIN_CHECKED_CHARACTERS = 8;

/** Characters per Latin character for the same content, for scripts that differ much from Latin. */
const SCRIPT_DENSITY: Readonly<Record<string, number>> = {
  Hans: 0.3,
  Hant: 0.3,
  Jpan: 0.4,
  Hang: 0.45,
  Ethi: 0.6,
  Hebr: 0.75,
  Arab: 0.85,
  Thai: 0.9,
};

/** The script subtag of a FLORES-200 code ('zho_Hans' → 'Hans'). */
export function scriptOf(flores: string): string {
  return flores.slice(flores.indexOf('_') + 1);
}

function density(flores: string): number {
  return SCRIPT_DENSITY[scriptOf(flores)] ?? 1;
}

/** The output/input ratio below which a translation from `src` to `tgt` looks like an omission. */
export function omissionFloor(src: string, tgt: string): number {
  return (OMISSION_RATIO * density(tgt)) / density(src);
}

/** Code points that are not whitespace. */
export function visibleCharacters(text: string): number {
  let count = 0;
  for (const ch of text) if (!/\s/u.test(ch)) count++;
  return count;
}

/** Whether `output` is implausibly short as the translation of `source` (see the rule above). */
export function looksOmitted(source: string, output: string, src: string, tgt: string): boolean {
  const input = visibleCharacters(source);
  if (input === 0) return false;
  const produced = visibleCharacters(output);
  if (produced === 0) return true;
  if (input / density(src) < MIN_CHECKED_CHARACTERS) return false;
  return produced / input < omissionFloor(src, tgt);
}
