/**
 * Translate from the command line with the ONNX engine:
 *
 *   npm run translate -- --model models/tiny --from eng_Latn --to swh_Latn "the child drinks water."
 *
 * Texts come from the arguments, or one per line from stdin when there are none. Each text is cut
 * into sentences and put back together exactly as the server does (inference/text). Flags:
 *   --model DIR          model folder (default: $SEMA_MODEL_DIR, else models/tiny)
 *   --from CODE --to CODE  FLORES-200 codes (ISO aliases such as sw/swh accepted)
 *   --beams N            beam size, 1 (greedy, default) .. MAX_BEAMS
 *   --max-new-tokens N   cap on new tokens per sentence (also bounded by the input length)
 *   --no-cache           recompute the full decoder every step (slow; for comparisons)
 *   --decoder auto|split|merged, --workers N, --threads N, --json, --help
 * Exit codes: 0 ok, 1 model or inference failure, 2 bad usage (flags, unknown language).
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { AppError } from '../../shared/errors.js';
import { DEFAULT_LIMITS } from '../../shared/limits.js';
import { resolveLanguageCode } from '../../shared/languages/index.js';
import { TranslationEngine, type DecoderChoice } from '../engine/index.js';
import { modelSegmentOptions, reassembleBatch, segmentBatch } from '../text/index.js';

const USAGE = `usage: npm run translate -- --from CODE --to CODE [--model DIR] [--beams N] [--max-new-tokens N]
                             [--no-cache] [--decoder auto|split|merged] [--workers N] [--threads N] [--json] [TEXT ...]
Texts are read one per line from stdin when none are given.`;

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined, max?: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1 || (max !== undefined && n > max)) {
    throw new UsageError(`--${name} must be an integer from 1${max !== undefined ? ` to ${max}` : ''}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function language(flag: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`--${flag} is required (a FLORES-200 code such as eng_Latn)`);
  const code = resolveLanguageCode(value);
  if (code === undefined) throw new UsageError(`--${flag}: unsupported language ${JSON.stringify(value)} (use a FLORES-200 code such as swh_Latn)`);
  return code;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        model: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        beams: { type: 'string' },
        'max-new-tokens': { type: 'string' },
        'no-cache': { type: 'boolean' },
        decoder: { type: 'string' },
        workers: { type: 'string' },
        threads: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let settings;
  try {
    const decoder = values.decoder ?? 'auto';
    if (!['auto', 'split', 'merged'].includes(decoder)) throw new UsageError(`--decoder must be auto, split or merged, got ${JSON.stringify(decoder)}`);
    settings = {
      model: values.model ?? process.env.SEMA_MODEL_DIR ?? 'models/tiny',
      from: language('from', values.from),
      to: language('to', values.to),
      beams: positiveInt('beams', values.beams, DEFAULT_LIMITS.MAX_BEAMS) ?? 1,
      maxNewTokens: positiveInt('max-new-tokens', values['max-new-tokens']),
      workers: positiveInt('workers', values.workers, 64) ?? 1,
      threads: positiveInt('threads', values.threads, 1024),
      decoder: decoder as DecoderChoice,
    };
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
  const texts = positionals.length > 0 ? positionals : readFileSync(0, 'utf8').split('\n').filter((l) => l.trim() !== '');
  if (texts.length === 0) {
    process.stderr.write(`no text to translate\n${USAGE}\n`);
    return 2;
  }

  let engine: TranslationEngine | undefined;
  try {
    engine = await TranslationEngine.load(settings.model, {
      workers: settings.workers,
      decoder: settings.decoder,
      ...(settings.threads !== undefined ? { intraOpThreads: settings.threads } : {}),
    });
    const batch = segmentBatch(texts, modelSegmentOptions(engine, settings.from));
    const result = await engine.translate(batch.sources, settings.from, settings.to, {
      beamSize: settings.beams,
      useCache: !values['no-cache'],
      ...(settings.maxNewTokens !== undefined ? { maxNewTokens: settings.maxNewTokens } : {}),
    });
    const translations = reassembleBatch(batch, result.translations);
    if (values.json) {
      // `sentences`: the engine's per-sentence result (tokens, scores, timings) for batch.sources.
      process.stdout.write(`${JSON.stringify({ translations, sentences: { sources: batch.sources, ...result }, model: engine.folder.dir }, null, 2)}\n`);
    } else {
      for (const t of translations) process.stdout.write(`${t}\n`);
      if (result.truncated.some(Boolean)) process.stderr.write('warning: some input was truncated to the model\'s maximum length\n');
    }
    return 0;
  } catch (err) {
    const usage = err instanceof AppError && (err.code === 'UNSUPPORTED_LANGUAGE' || err.code === 'VALIDATION_FAILED');
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    process.stderr.write(`error: ${(err as Error).message}${cause}\n`);
    return usage ? 2 : 1;
  } finally {
    await engine?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
