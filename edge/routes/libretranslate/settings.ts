import { OpenAPIHono } from '@hono/zod-openapi';
import { libreFrontendSettingsRoute } from '../../../shared/contract/libretranslate-routes.js';
import { LT_FILE_FORMATS, ltFrontendSettings } from '../../../shared/libretranslate/frontend-settings.js';
import type { EdgeEnv } from '../../context.js';

/**
 * LibreTranslate's GET /frontend/settings for this edge: API keys are in use but not required (a client
 * without one is limited by IP), suggestions as SUGGESTIONS says, documents translated at the edge
 * (POST /translate_file).
 */
export function createLtSettingsApp(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>();
  app.openapi(libreFrontendSettingsRoute, (c) => {
    const config = c.get('services').config;
    const settings = ltFrontendSettings({
      charLimit: config.limits.MAX_CHARACTERS,
      apiKeys: true,
      keyRequired: false,
      suggestions: config.suggestions !== 'off' && c.get('services').corrections !== undefined,
      filesTranslation: true,
      supportedFilesFormat: LT_FILE_FORMATS,
      acceptLanguage: c.req.header('accept-language'),
    });
    c.header('Cache-Control', 'no-store');
    c.header('Vary', 'Accept-Language');
    return c.json(settings, 200);
  });
  return app;
}
