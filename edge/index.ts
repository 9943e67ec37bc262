import type { EdgeBindings } from './env.js';
import { createEdgeWorker } from './worker.js';

export { GlossaryDurableObject } from './glossaries/durable-object.js';
export { RateLimiterDurableObject } from './ratelimit/durable-object.js';
export { KeyAccountDurableObject } from './keys/account.js';

/** One app per isolate, built from the first request's env: its configuration, circuit breakers and single-flight map live as long as the isolate. */
export default createEdgeWorker() satisfies ExportedHandler<EdgeBindings>;
