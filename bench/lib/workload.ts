/**
 * The engine benchmark's fixed inputs and the tasks its child processes run (one model loaded per
 * child process, so memory is freed between cases and VmHWM is per case).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * English sentences of 15–18 tokens with the fixture tokenizer (built from the synthetic corpus'
 * words, so the tiny SentencePiece model does not shred them into characters).
 */
export const SENTENCES: readonly string[] = [
  'The child eats the bread and the teacher drinks the tea every day.',
  'The farmer sells the fish and the doctor buys the milk in the morning.',
  'The mother cooks the rice and the father reads the newspaper today.',
  'The students like the music and the children see the dog.',
  'The woman washes the clothes and the man carries the water every day.',
  'The girl writes the letter and the boy wants the book today.',
  'The cook brings the food and the sister drinks the coffee in the morning.',
  'The teachers read the book and the farmers sell the fruit every day.',
  'The brother buys the car and the friend sees the house today.',
  'The women cook the meat and the student eats the banana in the morning.',
  'The doctor drinks the water and the mother likes the cat every day.',
  'The children eat the fruit and the teacher writes the letter today.',
  'The man sells the clothes and the girl washes the cup in the morning.',
  'The farmer wants the house and the boy reads the newspaper every day.',
  'The friend brings the tea and the cook buys the fish today.',
  'The students carry the book and the father sees the school in the morning.',
];

export const SRC = 'eng_Latn';
export const TGT = 'swh_Latn';

/** A batching case: `concurrency` closed-loop clients × `perClient` one-sentence requests. */
export interface BatchCase {
  mode: 'off' | 'on';
  concurrency: number;
  perClient: number;
  /** 'on' only: overrides the default maxBatchSize. */
  maxBatchSize?: number;
}

export interface EngineTask {
  kind: 'engine';
  label: string;
  dir: string;
  decoder: 'auto' | 'split' | 'merged';
  workers: number;
  intraOpThreads: number;
  /** Generated tokens per sentence (after the language token). */
  tokens: number;
  cases: BatchCase[];
  kv?: { tokens: number; cachedRuns: number; uncachedRuns: number };
}

/** Sessions created here with custom options (memory variants), one batch run on the main thread. */
export interface SessionsTask {
  kind: 'sessions';
  label: string;
  dir: string;
  variant: 'split' | 'merged';
  intraOpThreads: number;
  enableCpuMemArena: boolean;
  disablePrepacking: boolean;
  tokens: number;
  rows: number;
  runs: number;
}

export interface TransformersTask {
  kind: 'transformers';
  label: string;
  dir: string;
  intraOpThreads: number;
  tokens: number;
  cases: { concurrency: number; perClient: number }[];
  /** Also: one generate() call with this many sentences, `runs` times. */
  batched?: { rows: number; runs: number };
}

export type ChildTask = EngineTask | SessionsTask | TransformersTask;

/** The ONNX files (graph + external data) a set of graphs loads, with their sizes. */
export function onnxFiles(graphs: readonly string[]): { files: { name: string; bytes: number }[]; bytes: number } {
  const files: { name: string; bytes: number }[] = [];
  for (const graph of graphs) {
    const dir = dirname(graph);
    const base = basename(graph);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      if (name === base || name === `${base}_data` || name.startsWith(`${base}_data_`)) {
        files.push({ name, bytes: statSync(join(dir, name)).size });
      }
    }
  }
  return { files, bytes: files.reduce((s, f) => s + f.bytes, 0) };
}
