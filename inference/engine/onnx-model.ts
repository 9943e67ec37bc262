/**
 * The NLLB graphs on onnxruntime-node: session creation and validation, the encoder, and the
 * DecoderStepper the searches drive, with or without a KV cache, over the split decoder pair
 * (decoder_model for the first step, decoder_with_past_model after) or the merged decoder.
 *
 * Runs inside a worker thread (session.run blocks the thread it runs on).
 */
import { basename, dirname } from 'node:path';
import * as ort from 'onnxruntime-node';
import { nativeGuard, type NativeGuard } from './control.js';
import type { DecoderStepper, StepInput } from './generation/types.js';
import {
  signatureProblems,
  type DecoderVariant,
  type GraphName,
  type GraphSignature,
  type ModelConfig,
} from './model-folder.js';

export interface SessionSettings {
  intraOpThreads: number;
  interOpThreads: number;
}

export interface NllbSessions {
  variant: DecoderVariant;
  config: ModelConfig;
  encoder: ort.InferenceSession;
  decoder?: ort.InferenceSession;
  decoderWithPast?: ort.InferenceSession;
  decoderMerged?: ort.InferenceSession;
  /** Size of the logits' last dimension. */
  vocabSize: number;
}

export interface LoadSessionsInput {
  variant: DecoderVariant;
  config: ModelConfig;
  /** Absolute paths, as inspectModelFolder found them. */
  graphs: Partial<Record<GraphName, string>>;
  settings: SessionSettings;
}

/** Session creation failed or a graph has the wrong signature: every problem, for one message. */
export class SessionProblems extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'SessionProblems';
  }
}

export function signatureOf(session: ort.InferenceSession): GraphSignature {
  const inputTypes: Record<string, string> = {};
  for (const m of session.inputMetadata ?? []) if (m.isTensor) inputTypes[m.name] = m.type;
  return { inputNames: session.inputNames, outputNames: session.outputNames, inputTypes };
}

function logitsDim(session: ort.InferenceSession): number | undefined {
  const meta = (session.outputMetadata ?? []).find((m) => m.name === 'logits');
  if (!meta || !meta.isTensor) return undefined;
  const last = meta.shape[meta.shape.length - 1];
  return typeof last === 'number' ? last : undefined;
}

/** Creates and validates the sessions the variant needs. Throws SessionProblems. */
export async function loadSessions(input: LoadSessionsInput, guard: NativeGuard = nativeGuard(null)): Promise<NllbSessions> {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: input.settings.intraOpThreads,
    interOpNumThreads: input.settings.interOpThreads,
    logSeverityLevel: 3,
  };
  const names: GraphName[] =
    input.variant === 'split' ? ['encoder', 'decoder', 'decoderWithPast'] : ['encoder', 'decoderMerged'];
  const problems: string[] = [];
  const sessions: Partial<Record<GraphName, ort.InferenceSession>> = {};
  for (const name of names) {
    const path = input.graphs[name];
    // Messages name the file as the folder does (onnx/encoder_model.onnx), not the absolute path.
    const rel = path ? `${basename(dirname(path))}/${basename(path)}` : `the ${name} graph`;
    if (!path) {
      problems.push(`${rel} is missing`);
      continue;
    }
    try {
      sessions[name] = await guard(() => ort.InferenceSession.create(path, options));
    } catch (err) {
      if (err instanceof Error && err.name === 'StopRequested') throw err;
      problems.push(`${rel} cannot be loaded by onnxruntime (${firstLine((err as Error).message)})`);
      continue;
    }
    problems.push(...signatureProblems(rel, name, signatureOf(sessions[name]!), input.config));
  }
  let vocabSize = input.config.vocabSize;
  const decoderSession = sessions.decoder ?? sessions.decoderMerged;
  const dim = decoderSession ? logitsDim(decoderSession) : undefined;
  if (dim !== undefined && dim !== input.config.vocabSize) {
    problems.push(`the decoder's logits have ${dim} entries but config.json says vocab_size ${input.config.vocabSize}`);
  }
  if (dim !== undefined) vocabSize = dim;
  if (problems.length > 0) {
    await Promise.allSettled(Object.values(sessions).map((s) => s.release()));
    throw new SessionProblems(problems);
  }
  return {
    variant: input.variant,
    config: input.config,
    encoder: sessions.encoder!,
    ...(sessions.decoder ? { decoder: sessions.decoder } : {}),
    ...(sessions.decoderWithPast ? { decoderWithPast: sessions.decoderWithPast } : {}),
    ...(sessions.decoderMerged ? { decoderMerged: sessions.decoderMerged } : {}),
    vocabSize,
  };
}

export async function releaseSessions(s: NllbSessions): Promise<void> {
  await Promise.allSettled([s.encoder, s.decoder, s.decoderWithPast, s.decoderMerged].filter((x) => x !== undefined).map((x) => x.release()));
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

// --- encoder -----------------------------------------------------------------------------------

export interface EncoderOutput {
  batch: number;
  /** Padded source length. */
  length: number;
  /** last_hidden_state [batch, length, d_model] */
  hidden: ort.Tensor;
  /** attention mask [batch × length], 1 = token */
  mask: BigInt64Array;
}

/**
 * Runs the encoder over right-padded rows. `ids` holds the rows back to back: row i is
 * ids[offsets[i] .. offsets[i+1]).
 */
export async function runEncoder(
  s: NllbSessions,
  ids: Int32Array,
  offsets: Int32Array,
  guard: NativeGuard = nativeGuard(null),
): Promise<EncoderOutput> {
  const batch = offsets.length - 1;
  let length = 0;
  for (let i = 0; i < batch; i++) length = Math.max(length, offsets[i + 1]! - offsets[i]!);
  const inputIds = new BigInt64Array(batch * length).fill(BigInt(s.config.padTokenId));
  const mask = new BigInt64Array(batch * length);
  for (let i = 0; i < batch; i++) {
    const start = offsets[i]!;
    const n = offsets[i + 1]! - start;
    for (let j = 0; j < n; j++) {
      inputIds[i * length + j] = BigInt(ids[start + j]!);
      mask[i * length + j] = 1n;
    }
  }
  const out = await guard(() => s.encoder.run({
    input_ids: new ort.Tensor('int64', inputIds, [batch, length]),
    attention_mask: new ort.Tensor('int64', mask, [batch, length]),
  }));
  const hidden = out.last_hidden_state;
  if (!hidden) throw new Error('the encoder returned no last_hidden_state');
  return { batch, length, hidden, mask };
}

// --- decoder stepper ---------------------------------------------------------------------------

function rowSize(t: ort.Tensor): number {
  const n = t.dims[0] ?? 0;
  return n === 0 ? 0 : t.size / n;
}

/** The rows `index` of a float32 tensor's first dimension. */
export function gatherFloat(t: ort.Tensor, index: Int32Array): ort.Tensor {
  const size = rowSize(t);
  const src = t.data as Float32Array;
  const out = new Float32Array(index.length * size);
  for (let i = 0; i < index.length; i++) {
    const r = index[i]!;
    out.set(src.subarray(r * size, (r + 1) * size), i * size);
  }
  return new ort.Tensor('float32', out, [index.length, ...t.dims.slice(1)]);
}

function gatherInt64(src: BigInt64Array, size: number, index: Int32Array): BigInt64Array {
  const out = new BigInt64Array(index.length * size);
  for (let i = 0; i < index.length; i++) {
    const r = index[i]!;
    out.set(src.subarray(r * size, (r + 1) * size), i * size);
  }
  return out;
}

function isIdentity(index: Int32Array, previousCount: number): boolean {
  if (index.length !== previousCount) return false;
  for (let i = 0; i < index.length; i++) if (index[i] !== i) return false;
  return true;
}

function sameRows(a: Int32Array | null, b: Int32Array): boolean {
  if (a === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export interface StepperTimings {
  decoderMs: number;
  calls: number;
}

/**
 * Decoder steps for the searches. With `useCache`, the first step runs the no-past graph over
 * [start, forced] and keeps the self-attention and cross-attention keys/values; later steps feed
 * only the newest token with the past (reordered by `parents` when beams move or rows leave).
 * Without a cache, every step runs the no-past graph over the full sequences.
 */
export class OnnxDecoderStepper implements DecoderStepper {
  readonly vocabSize: number;
  readonly timings: StepperTimings = { decoderMs: 0, calls: 0 };
  private readonly layers: number;
  /** Batch row → index in the first step's outputs (the per-row cross-attention keys/values). */
  private baseIndex: Int32Array | null = null;
  private baseCross: ort.Tensor[] = [];
  /** Tensors gathered for the current `rows`. */
  private curRows: Int32Array | null = null;
  private curMask: ort.Tensor | null = null;
  private curHidden: ort.Tensor | null = null;
  private curCross: ort.Tensor[] = [];
  private selfKv: ort.Tensor[] = [];
  private previousCount = 0;

  constructor(
    private readonly s: NllbSessions,
    private readonly enc: EncoderOutput,
    readonly useCache: boolean,
    private readonly guard: NativeGuard = nativeGuard(null),
  ) {
    this.vocabSize = s.vocabSize;
    this.layers = s.config.decoderLayers;
  }

  private run(
    session: ort.InferenceSession,
    feeds: Record<string, ort.Tensor>,
    fetches?: readonly string[],
  ): Promise<ort.InferenceSession.ReturnType> {
    const t0 = performance.now();
    return this.guard(() => (fetches ? session.run(feeds, fetches) : session.run(feeds))).then((out) => {
      this.timings.decoderMs += performance.now() - t0;
      this.timings.calls++;
      return out;
    });
  }

  /** Mask and hidden states of the encoder for the given rows (cached while rows do not change). */
  private encoderFor(rows: Int32Array): { mask: ort.Tensor; hidden: ort.Tensor } {
    if (!sameRows(this.curRows, rows) || !this.curMask || !this.curHidden) {
      const len = this.enc.length;
      const identity = isIdentity(rows, this.enc.batch);
      this.curMask = new ort.Tensor('int64', identity ? this.enc.mask : gatherInt64(this.enc.mask, len, rows), [rows.length, len]);
      this.curHidden = identity ? this.enc.hidden : gatherFloat(this.enc.hidden, rows);
      this.curCross = [];
      this.curRows = rows.slice();
    }
    return { mask: this.curMask, hidden: this.curHidden };
  }

  private crossFor(rows: Int32Array): ort.Tensor[] {
    if (this.curCross.length === 0) {
      const base = this.baseIndex!;
      const index = rows.map((r) => base[r]!);
      this.curCross = isIdentity(index, this.baseCross[0]?.dims[0] ?? -1)
        ? this.baseCross
        : this.baseCross.map((t) => gatherFloat(t, index));
    }
    return this.curCross;
  }

  private emptyPast(n: number): Record<string, ort.Tensor> {
    const { decoderAttentionHeads: h, headDim: hd } = this.s.config;
    const feeds: Record<string, ort.Tensor> = {};
    for (let i = 0; i < this.layers; i++) {
      for (const part of ['decoder', 'encoder']) {
        for (const kv of ['key', 'value']) {
          feeds[`past_key_values.${i}.${part}.${kv}`] = new ort.Tensor('float32', new Float32Array(0), [n, h, 0, hd]);
        }
      }
    }
    return feeds;
  }

  /**
   * Runs the no-past graph over full sequences; returns logits of the last position and the outputs
   * (only `logits` unless `presents`: the cache-less mode does not materialise keys/values).
   */
  private async runFull(input: StepInput, presents: boolean): Promise<{ logits: Float32Array; out: ort.InferenceSession.ReturnType }> {
    const n = input.sequences.length;
    const t = input.sequences[0]!.length;
    const ids = new BigInt64Array(n * t);
    for (let i = 0; i < n; i++) {
      const seq = input.sequences[i]!;
      if (seq.length !== t) throw new Error('decoder sequences must have equal lengths');
      for (let j = 0; j < t; j++) ids[i * t + j] = BigInt(seq[j]!);
    }
    const { mask, hidden } = this.encoderFor(input.rows);
    const feeds: Record<string, ort.Tensor> = {
      encoder_attention_mask: mask,
      input_ids: new ort.Tensor('int64', ids, [n, t]),
      encoder_hidden_states: hidden,
    };
    let session: ort.InferenceSession;
    if (this.s.variant === 'split') session = this.s.decoder!;
    else {
      session = this.s.decoderMerged!;
      Object.assign(feeds, this.emptyPast(n), { use_cache_branch: new ort.Tensor('bool', new Uint8Array([0]), [1]) });
    }
    const out = await this.run(session, feeds, presents ? undefined : ['logits']);
    const logitsTensor = out.logits!;
    const v = this.vocabSize;
    const all = logitsTensor.data as Float32Array;
    let logits: Float32Array;
    if (t === 1) logits = all;
    else {
      logits = new Float32Array(n * v);
      for (let i = 0; i < n; i++) logits.set(all.subarray(((i * t) + t - 1) * v, (i * t + t) * v), i * v);
    }
    return { logits, out };
  }

  async step(input: StepInput): Promise<Float32Array> {
    const n = input.sequences.length;
    if (n === 0) return new Float32Array(0);
    if (!this.useCache) {
      this.previousCount = n;
      return (await this.runFull(input, false)).logits;
    }
    if (input.parents === null || this.baseIndex === null) {
      // First step: the no-past graph over [start, forced], keeping every present.
      const { logits, out } = await this.runFull(input, true);
      const base = new Int32Array(this.enc.batch).fill(-1);
      input.rows.forEach((r, i) => {
        if (base[r] === -1) base[r] = i;
      });
      this.baseIndex = base;
      this.selfKv = [];
      this.baseCross = [];
      for (let i = 0; i < this.layers; i++) {
        this.selfKv.push(out[`present.${i}.decoder.key`]!, out[`present.${i}.decoder.value`]!);
        this.baseCross.push(out[`present.${i}.encoder.key`]!, out[`present.${i}.encoder.value`]!);
      }
      this.curCross = [];
      this.previousCount = n;
      return logits;
    }
    // Later steps: the newest token + the (reordered) past.
    const parents = input.parents;
    if (parents.length !== n) throw new Error('parents must have one entry per sequence');
    if (!isIdentity(parents, this.previousCount)) this.selfKv = this.selfKv.map((t) => gatherFloat(t, parents));
    const { mask, hidden } = this.encoderFor(input.rows);
    const cross = this.crossFor(input.rows);
    const ids = new BigInt64Array(n);
    for (let i = 0; i < n; i++) {
      const seq = input.sequences[i]!;
      ids[i] = BigInt(seq[seq.length - 1]!);
    }
    const feeds: Record<string, ort.Tensor> = {
      encoder_attention_mask: mask,
      input_ids: new ort.Tensor('int64', ids, [n, 1]),
    };
    for (let i = 0; i < this.layers; i++) {
      feeds[`past_key_values.${i}.decoder.key`] = this.selfKv[2 * i]!;
      feeds[`past_key_values.${i}.decoder.value`] = this.selfKv[2 * i + 1]!;
      feeds[`past_key_values.${i}.encoder.key`] = cross[2 * i]!;
      feeds[`past_key_values.${i}.encoder.value`] = cross[2 * i + 1]!;
    }
    let session: ort.InferenceSession;
    if (this.s.variant === 'split') session = this.s.decoderWithPast!;
    else {
      session = this.s.decoderMerged!;
      feeds.encoder_hidden_states = hidden;
      feeds.use_cache_branch = new ort.Tensor('bool', new Uint8Array([1]), [1]);
    }
    const out = await this.run(session, feeds);
    const next: ort.Tensor[] = [];
    for (let i = 0; i < this.layers; i++) next.push(out[`present.${i}.decoder.key`]!, out[`present.${i}.decoder.value`]!);
    this.selfKv = next;
    this.previousCount = n;
    return out.logits!.data as Float32Array;
  }
}
