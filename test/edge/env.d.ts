import type { EdgeBindings } from '../../edge/env.js';

declare global {
  namespace Cloudflare {
    interface Env extends EdgeBindings {}
  }
}
