/**
 * A BatchModel for service tests with exact control over what "the model" answers: each row is
 * answered by a script from its source text and the settings of its run. No ONNX.
 */
import {
  DEFAULT_GENERATION,
  packOutput,
  unpackRows,
  type EncodedRow,
  type GenerationSettings,
  type JobRow,
  type PoolStats,
  type RowOutput,
  type RunOptions,
  type RunResult,
} from '../../../inference/engine/index.js';
import type { BatchModel, BatchingOptions } from '../../../inference/service/batched-engine.js';

/** What the script says about one row. Omitted fields: finished, no repetition, 1 token per word + </s> (at least 2), log-prob -0.1 a token. */
export interface ScriptedAnswer {
  text: string;
  finished?: boolean;
  repetition?: boolean;
  /** Generated tokens (</s> included). */
  tokens?: number;
  logprob?: number;
  /** Beam score of the chosen hypothesis (default logprob / tokens). */
  score?: number;
  /** n-best, best first; only as many as the run's settings ask for are returned. */
  alternatives?: { text: string; score: number }[];
}

export type Script = (source: string, settings: GenerationSettings, row: { src: string; tgt: string; maxNewTokens: number }) => ScriptedAnswer;

export interface ScriptedRun {
  sources: string[];
  settings: GenerationSettings;
}

const LANGS = ['eng_Latn', 'swh_Latn', 'fra_Latn', 'zho_Hans'];
const LANG_BASE = 10;
const TEXT_BASE = 1000;

export const BATCHING: BatchingOptions = {
  maxWaitMs: 0,
  maxBatchSize: 64,
  maxBatchTokens: 1 << 20,
  maxQueuedRequests: 64,
  maxQueuedTokens: 1 << 20,
  deadlineMs: 60_000,
  concurrency: 1,
};

/**
 * Texts travel as one id each (a table maps ids back to texts, and decoded token runs back to
 * answer texts), so the model's "decoding" is exact.
 */
export class ScriptedModel implements BatchModel {
  readonly maxSourceTokens = 200;
  readonly stats: PoolStats = { workers: 1, ready: 1, busy: 0, queued: 0, restarts: 0, cancelled: 0 };
  /** Every run, in order: the source texts of its rows and its settings. */
  readonly runs: ScriptedRun[] = [];
  private readonly texts: string[] = [];

  constructor(private readonly script: Script) {}

  /** Words + [src] + </s>, as the segmenter and the finer split count them. */
  tokenCount(text: string): number {
    return text.split(/\s+/u).filter(Boolean).length + 2;
  }

  resolveSettings(options: Partial<GenerationSettings> = {}): GenerationSettings {
    const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    return { ...DEFAULT_GENERATION, ...defined };
  }

  encode(text: string, src: string, tgt: string, maxNewTokens?: number): EncodedRow {
    const own = 64;
    return {
      ids: [LANG_BASE + LANGS.indexOf(src), this.idOf(text), 2],
      forcedTokenId: LANG_BASE + LANGS.indexOf(tgt),
      maxNewTokens: Math.min(maxNewTokens ?? own, own),
      truncated: false,
      cappedByRequest: maxNewTokens !== undefined && maxNewTokens <= own,
    };
  }

  run(rows: readonly JobRow[], settings: GenerationSettings, _options: RunOptions = {}): Promise<RunResult> {
    const sources = rows.map((r) => this.texts[r.ids[1]! - TEXT_BASE]!);
    this.runs.push({ sources, settings });
    const answers = rows.map((r, i) =>
      this.script(sources[i]!, settings, { src: LANGS[r.ids[0]! - LANG_BASE]!, tgt: LANGS[r.forcedTokenId - LANG_BASE]!, maxNewTokens: r.maxNewTokens }),
    );
    const outputs = answers.map((a, i): RowOutput => {
      // at least the id of the answer text and the last token
      const tokens = Math.max(2, a.tokens ?? a.text.split(/\s+/u).filter(Boolean).length + 1);
      const logprob = a.logprob ?? -0.1 * tokens;
      const alternatives = settings.beamSize > 1 ? (a.alternatives ?? []).slice(0, settings.alternatives) : [];
      return {
        tokens: [2, rows[i]!.forcedTokenId, this.idOf(a.text), ...Array.from({ length: Math.max(0, tokens - 2) }, () => 5), ...(a.finished === false ? [5] : [2])],
        score: settings.beamSize > 1 ? (a.score ?? logprob / tokens) : null,
        logprob,
        finished: a.finished !== false,
        repetition: a.repetition === true,
        alternatives: alternatives.map((alt) => ({ tokens: [2, rows[i]!.forcedTokenId, this.idOf(alt.text), 2], score: alt.score })),
      };
    });
    const timings = { encoderMs: 0, decoderMs: 1, totalMs: 1, steps: 1, hypothesisSteps: rows.length };
    const decode = (tokens: readonly number[]) => this.texts[tokens[2]! - TEXT_BASE] ?? '';
    const decoded = unpackRows(packOutput(outputs, timings)).map((row) => ({
      ...row,
      text: decode(row.tokens),
      alternativeTexts: row.alternatives.map((a) => decode(a.tokens)),
    }));
    return Promise.resolve({ rows: decoded, timings });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private idOf(text: string): number {
    let i = this.texts.indexOf(text);
    if (i < 0) i = this.texts.push(text) - 1;
    return TEXT_BASE + i;
  }
}
