import type { Logger } from 'pino';
import type { Hono } from 'hono';
import { createContainerApp } from './app.js';
import type { Config } from './config.js';
import type { ContainerDeps, ContainerEnv } from './context.js';
import { FastTextDetector, type LanguageDetector } from './lid/index.js';
import { RevisionChecker, resolveModel, type ResolveModelOptions } from './modelstore/index.js';
import { createLogger, createMetrics, type Metrics } from './observability/index.js';
import { Swappable } from './runtime/swappable.js';
import { loadModelRuntime, type EngineOverrides, type ModelRuntime } from './service/model-runtime.js';
import { SourceDetection } from './service/translation-service.js';

export const VERSION = '0.1.0';

export interface Container {
  app: Hono<ContainerEnv>;
  deps: ContainerDeps;
  /** Waits for in-flight work (bounded by `graceMs`), then stops the model and the detector. */
  close(graceMs?: number): Promise<void>;
}

export interface ContainerOptions {
  logger?: Logger;
  metrics?: Metrics;
  detector?: LanguageDetector;
  resolve?: ResolveModelOptions;
  /** Engine options on top of the configured ones, for every model loaded (tests: testHooks). */
  engine?: EngineOverrides;
}

/** Everything the container serves with: config → model (or fixture) → detector → app. */
export async function startContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const logger = options.logger ?? createLogger({ level: config.log.level, logText: config.log.text, base: { service: 'inference' } });
  const metrics = options.metrics ?? createMetrics();
  const detector = options.detector ?? (await FastTextDetector.create({ modelPath: config.lid.modelPath, labels: config.lid.labels }));

  const load = async (): Promise<ModelRuntime> => {
    const resolved = await resolveModel(config, options.resolve);
    if (resolved.fixture) {
      logger.warn({ model: resolved.id, reason: resolved.reason }, `SERVING THE TEST FIXTURE MODEL, NOT NLLB-200: ${resolved.reason}`);
    }
    const runtime = await loadModelRuntime(resolved, config, metrics, options.engine);
    logger.info({ model: runtime.info.label, path: runtime.info.path, load_seconds: runtime.info.loadSeconds }, 'model loaded');
    return runtime;
  };

  const model = new Swappable(await load());
  const initial = model.peek().info;
  const revisionChecker =
    initial.fixture || config.model.revisionCheckIntervalMs === 0
      ? undefined
      : new RevisionChecker({ repo: config.model.repo, currentRevision: initial.revision, intervalMs: config.model.revisionCheckIntervalMs, hubUrl: config.model.hubUrl });
  revisionChecker?.start();

  const deps: ContainerDeps = {
    config,
    logger,
    metrics,
    model,
    detector,
    detection: new SourceDetection(detector),
    revisionChecker,
    reload: async () => {
      try {
        const runtime = await model.swap(load);
        revisionChecker?.setCurrentRevision(runtime.info.revision);
        logger.info({ model: runtime.info.label }, 'model reloaded');
        return runtime;
      } catch (err) {
        logger.error({ err }, 'model reload failed; the previous model keeps serving');
        throw err;
      }
    },
    startedAt: Date.now(),
    version: VERSION,
  };

  return {
    app: createContainerApp(deps),
    deps,
    async close(graceMs = config.shutdownGraceMs) {
      revisionChecker?.stop();
      const drained = model.peek().engine.drain();
      await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      await model.close();
      detector.close();
    },
  };
}
