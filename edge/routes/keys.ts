import { OpenAPIHono, type z } from '@hono/zod-openapi';
import { createKeyRoute, listKeysRoute, revokeKeyRoute, updateKeyRoute } from '../../shared/contract/keys-routes.js';
import { CreateKeyRequestSchema, UpdateKeyRequestSchema } from '../../shared/contract/keys.js';
import { validationError } from '../../shared/contract/validate.js';
import type { EdgeEnv, EdgeServices } from '../context.js';
import type { EdgeBindings } from '../env.js';
import { durableObjectKeyAccounts } from '../keys/accounts.js';
import { KeyAdmin } from '../keys/admin.js';
import { requireAdmin } from '../middleware/admin.js';
import { validatedBody, type RouteEnv } from './shared.js';

/** A zod schema as a body validator: VALIDATION_FAILED with the shared issue summary. */
function schemaValidator<S extends z.ZodType>(schema: S) {
  return (body: unknown): z.infer<S> => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw validationError(parsed.error);
    return parsed.data;
  };
}

function keyAdmin(c: { env: EdgeBindings; get(name: 'services'): EdgeServices }): KeyAdmin {
  const services = c.get('services');
  if (!c.env.API_KEYS) throw new Error('the API_KEYS KV binding is missing');
  return new KeyAdmin({
    kv: c.env.API_KEYS,
    accounts: durableObjectKeyAccounts(c.env.KEY_ACCOUNTS),
    clock: services.clock,
    defaults: { requestsPerWindow: services.config.limits.RATE_LIMIT_PER_MINUTE, costPerWindow: services.config.limits.COST_BUDGET_PER_MINUTE },
  });
}

/**
 * The admin API of API keys (Bearer ADMIN_TOKEN, edge/middleware/admin.ts; 404 without a configured
 * ADMIN_TOKEN): POST creates a key and shows it once, GET lists (name, limits, created, last used,
 * revoked, usage), PATCH /{id} changes the name or limits, DELETE /{id} revokes. The work is
 * edge/keys/admin.ts; ids are `key_` + 24 hex digits of the key's SHA-256, never the key.
 */
export function createKeysApp(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>();
  app.use('/api/v1/admin/*', requireAdmin());

  const createEnv = new OpenAPIHono<RouteEnv<z.infer<typeof CreateKeyRequestSchema>>>();
  createEnv.openapi({ ...createKeyRoute, middleware: [validatedBody(schemaValidator(CreateKeyRequestSchema))] }, async (c) => {
    const input = c.get('input');
    return c.json(await keyAdmin(c).create(input.name, input.limits), 201);
  });

  const updateEnv = new OpenAPIHono<RouteEnv<z.infer<typeof UpdateKeyRequestSchema>>>();
  updateEnv.openapi({ ...updateKeyRoute, middleware: [validatedBody(schemaValidator(UpdateKeyRequestSchema))] }, async (c) => {
    const input = c.get('input');
    return c.json(await keyAdmin(c).update(c.req.valid('param').id, input.name, input.limits), 200);
  });

  app.openapi(listKeysRoute, async (c) => {
    const query = c.req.valid('query');
    return c.json(await keyAdmin(c).list(query.limit, query.cursor), 200);
  });
  app.openapi(revokeKeyRoute, async (c) => c.json(await keyAdmin(c).revoke(c.req.valid('param').id), 200));
  app.route('/', createEnv);
  app.route('/', updateEnv);
  return app;
}
