import type { BatchTranslator } from '../../shared/documents/index.js';
import { characterCount } from '../../shared/contract/common.js';
import type { TranslateOptions } from '../../shared/contract/translate.js';
import { translateFlow, type TranslateFlowContext } from '../services/translate.js';

/**
 * A document's batches through the edge's cached translate flow (edge/services/translate.ts), so the
 * cache, single-flight and the origin pool serve documents as they serve POST /api/v1/translate. The
 * client was charged for the whole document before the first batch (edge/routes/documents.ts).
 */
export function flowBatchTranslator(ctx: TranslateFlowContext, target: string, source: string | undefined): BatchTranslator {
  return async (texts, format) => {
    const options: TranslateOptions = { beam_size: 1, placeholders: 'auto', alternatives: 0, format };
    const outcome = await translateFlow(
      { texts, batch: true, target, source, options, characterCount: texts.reduce((sum, text) => sum + characterCount(text), 0) },
      ctx,
    );
    return outcome.results.map((result) => result.translated_text);
  };
}
