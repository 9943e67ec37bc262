/** What every language detector offers; the routes depend on this, never on fastText. */
export interface LidCandidate {
  /** The detector's own label without the `__label__` prefix: 'sw' for lid.176, 'swh_Latn' for lid218e. */
  label: string;
  /** The FLORES-200 code NLLB-200 knows, or null when the label has none (never guessed). */
  language: string | null;
  /** Probability in [0, 1]. */
  confidence: number;
}

export interface LidResult {
  /** Best first, at most topK entries. Empty when there is nothing to classify. */
  candidates: LidCandidate[];
}

export interface LanguageDetector {
  /** Names the model in /status and the `detector` field, e.g. 'fasttext-lid.176'. */
  readonly id: string;
  /** How the model names languages; lid.176 answers carry a hint about what it cannot name. */
  readonly labelStyle?: 'lid176' | 'flores';
  detect(text: string, topK: number): Promise<LidResult>;
  close(): void;
}
