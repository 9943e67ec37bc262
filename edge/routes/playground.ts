import { Hono, type Context } from 'hono';
import type { EdgeEnv } from '../context.js';
import { PLAYGROUND_SCRIPT } from '../playground/client.js';
import { landingPage, playgroundPage } from '../playground/page.js';
import { PLAYGROUND_CSS } from '../playground/styles.js';

/**
 * Everything the page loads comes from here (no CDN, no external font), which the Content Security
 * Policy enforces; the script calls the public API like any client, so the same limits apply.
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' blob:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** GET / (links to the playground and the docs), GET /playground and its script and stylesheet. HTML, so not in the OpenAPI document. */
export function createPlaygroundApp(): Hono<EdgeEnv> {
  const app = new Hono<EdgeEnv>();
  const page = (body: ReturnType<typeof playgroundPage>) => async (c: Context<EdgeEnv>) => {
    c.header('Content-Security-Policy', CSP);
    c.header('Cache-Control', 'public, max-age=300');
    return c.html(await body);
  };
  app.get('/', page(landingPage()));
  app.get('/playground', page(playgroundPage()));
  app.get('/playground/app.js', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(PLAYGROUND_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' });
  });
  app.get('/playground/app.css', (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(PLAYGROUND_CSS, 200, { 'content-type': 'text/css; charset=utf-8' });
  });
  return app;
}
