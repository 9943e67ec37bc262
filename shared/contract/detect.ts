import { z } from '@hono/zod-openapi';
import { DEFAULT_LIMITS } from '../limits.js';
import { FloresCode } from './common.js';

export const DetectRequestSchema = z
  .object({
    text: z.string().openapi({ example: 'Habari ya asubuhi' }),
    top_k: z.number().int().min(1).max(DEFAULT_LIMITS.MAX_DETECT_TOP_K).default(3),
  })
  .strict()
  .openapi('DetectRequest');

export const DetectionCandidateSchema = z
  .object({
    language: FloresCode.nullable().openapi({ description: 'FLORES-200 code, or null when the label has no NLLB-200 equivalent' }),
    label: z.string().openapi({ description: "The detector's own label, e.g. 'sw' for lid.176", example: 'sw' }),
    language_name: z.string().nullable(),
    confidence: z.number().min(0).max(1),
  })
  .openapi('DetectionCandidate');

export const DetectResponseSchema = z
  .object({
    detected_language: FloresCode.nullable().openapi({ description: 'null when the best guess has no NLLB-200 equivalent' }),
    language_name: z.string().nullable(),
    native_name: z.string().nullable(),
    confidence: z.number().min(0).max(1),
    is_english: z.boolean(),
    reliable: z.boolean().openapi({ description: 'false when confidence is low or the best label has no NLLB-200 equivalent' }),
    note: z.string().optional().openapi({ description: 'Why the answer is unreliable, when it is' }),
    alternatives: z.array(DetectionCandidateSchema),
    character_count: z.number().int().nonnegative(),
    detector: z.string().openapi({ example: 'fasttext-lid.176' }),
    total_time: z.number().nonnegative(),
    timestamp: z.string().datetime(),
    request_id: z.string(),
  })
  .openapi('DetectResponse');

export type DetectRequestBody = z.input<typeof DetectRequestSchema>;
export type DetectionCandidate = z.infer<typeof DetectionCandidateSchema>;
export type DetectResponse = z.infer<typeof DetectResponseSchema>;
