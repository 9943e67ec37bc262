import { createEdgeApp } from './app.js';
import type { EdgeBindings } from './env.js';

export { RateLimiterDurableObject } from './ratelimit/durable-object.js';

/** One app per isolate: its configuration, circuit breakers and single-flight map live as long as the isolate. */
const app = createEdgeApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<EdgeBindings>;
