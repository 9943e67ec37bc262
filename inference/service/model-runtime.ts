import type { Config } from '../config.js';
import { TranslationEngine, type EngineOptions } from '../engine/index.js';
import type { ResolvedModel } from '../modelstore/index.js';
import type { Metrics } from '../observability/index.js';
import { BatchedEngine } from './batched-engine.js';

export interface ModelInfo {
  id: string;
  revision: string;
  fixture: boolean;
  path: string;
  /** Why the fixture serves, when it does. */
  reason: string | undefined;
  loadedAt: string;
  loadSeconds: number;
  /** The `model` field of every response; loud when a fixture serves. */
  label: string;
}

/** A loaded model and its batcher: the unit that hot reload swaps. */
export interface ModelRuntime {
  engine: BatchedEngine<TranslationEngine>;
  info: ModelInfo;
  close(): Promise<void>;
}

export const FIXTURE_WARNING = 'TEST FIXTURE, not a real translation model: run `npm run models:fetch`';

/**
 * `<id>@<revision>`, with `+int8` when the quantized graphs serve: the edge keys its cache by this label,
 * and int8 and fp32 of one revision translate differently, so they must never share cached answers.
 */
export function modelLabel(model: Pick<ResolvedModel, 'id' | 'revision' | 'fixture'> & { onnx?: Pick<ResolvedModel['onnx'], 'suffix'> }): string {
  const label = `${model.id}@${model.revision}${model.onnx?.suffix === '_quantized' ? '+int8' : ''}`;
  return model.fixture ? `${label} (${FIXTURE_WARNING})` : label;
}

/** Engine options a caller may add to the configured ones (tests: testHooks). */
export type EngineOverrides = Pick<EngineOptions, 'testHooks'>;

export async function loadModelRuntime(model: ResolvedModel, config: Config, metrics: Metrics, overrides: EngineOverrides = {}): Promise<ModelRuntime> {
  const started = performance.now();
  const engine = await TranslationEngine.load(model.dir, {
    workers: config.engine.workers,
    intraOpThreads: config.engine.intraOpThreads,
    onnxSuffix: model.onnx.suffix,
    limits: config.limits,
    defaults: { beamSize: config.defaultBeamSize },
    jobTimeoutMs: config.workerJobTimeoutMs,
    onWorkerRestart: (reason) => metrics.workerRestarts.inc({ reason }),
    ...overrides,
  });
  const loadSeconds = (performance.now() - started) / 1000;
  metrics.modelLoadTime.set(loadSeconds);
  const batched = new BatchedEngine(engine, {
    maxWaitMs: config.batch.maxWaitMs,
    maxBatchSize: config.batch.maxSize,
    maxBatchTokens: config.batch.maxTokens,
    maxQueuedRequests: config.queue.maxRequests,
    maxQueuedTokens: config.queue.maxTokens,
    maxQueuedTokensPerClient: config.queue.maxTokensPerClient,
    deadlineMs: config.requestDeadlineMs,
    concurrency: config.engine.workers,
    initialTokensPerSecond: config.queue.priorTokensPerSecond,
    onBatch: (info) => {
      if (info.ok) metrics.batchSize.observe(info.size);
    },
  });
  return {
    engine: batched,
    info: {
      id: model.id,
      revision: model.revision,
      fixture: model.fixture,
      path: model.dir,
      reason: model.reason,
      loadedAt: new Date().toISOString(),
      loadSeconds,
      label: modelLabel(model),
    },
    close: () => batched.close(),
  };
}
