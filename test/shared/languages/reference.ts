import { readFileSync } from 'node:fs';

/** The committed copies of the reference data (from /work/shared/data), so tests run from a clean clone. */
function dataLines(file: string): string[] {
  return readFileSync(new URL(file, import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

/** The 202 NLLB-200 codes in tokenizer order. */
export const REFERENCE_CODES: readonly string[] = dataLines('./nllb200_language_codes.txt').map((line) => line.trim());

/** FLORES-200 English names by code. */
export const REFERENCE_NAMES: ReadonlyMap<string, string> = new Map(
  dataLines('./nllb200_language_names.tsv').map((line) => {
    const [code = '', name = ''] = line.split('\t');
    return [code, name];
  }),
);
