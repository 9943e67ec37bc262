import type { Logger } from 'pino';
import type { RequestContextVariables } from '../shared/http/index.js';
import type { Config } from './config.js';
import type { LanguageDetector } from './lid/index.js';
import type { RevisionChecker } from './modelstore/index.js';
import type { Metrics, RequestLogFields } from './observability/index.js';
import type { Swappable } from './runtime/swappable.js';
import type { ModelRuntime } from './service/model-runtime.js';
import type { SourceDetection } from './service/translation-service.js';

/** What the container's routes need; built once by the server (or a test) and injected. */
export interface ContainerDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  model: Swappable<ModelRuntime>;
  detector: LanguageDetector;
  detection: SourceDetection;
  /** The last answer of the background revision check (never awaited by a request). */
  revisionChecker: Pick<RevisionChecker, 'newerAvailable'> | undefined;
  /** Hot reload: resolves the model again, loads it beside the old one and swaps. */
  reload: () => Promise<ModelRuntime>;
  /** Date.now() at process start. */
  startedAt: number;
  version: string;
}

/** Fields a route adds to its request's log line. */
export type LogDetails = Partial<Pick<RequestLogFields, 'source_language' | 'target_language' | 'detected_language' | 'character_count' | 'inference_ms' | 'text'>>;

export interface ContainerVariables extends RequestContextVariables {
  logDetails: LogDetails;
  /** Set by the error handler, read by the request log and error metrics. */
  errorCode: string | undefined;
}

export interface ContainerEnv {
  Variables: ContainerVariables;
}
