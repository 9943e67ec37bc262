import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { ltDownloadFileRoute, ltTranslateFileRoute, translateDocumentRoute } from '../../shared/contract/documents-routes.js';
import { resolveLanguageOrThrow } from '../../shared/contract/validate.js';
import { DOCUMENT_FORM_OVERHEAD_BYTES, DOCUMENT_LIMITS, prepareDocument, translateDocument, type PreparedDocument } from '../../shared/documents/index.js';
import { AppError } from '../../shared/errors.js';
import type { EdgeEnv } from '../context.js';
import type { EdgeBindings } from '../env.js';
import { flowBatchTranslator } from '../documents/translator.js';
import { KvDocumentStore, type DocumentStore } from '../documents/store.js';
import { readApiUpload, readLtUpload, type DocumentUpload } from '../documents/upload.js';
import { rateLimit } from '../ratelimit/middleware.js';
import { deferFor, type RouteEnv } from './shared.js';

/**
 * What the rate limiter charges for a document (edge/ratelimit/middleware.ts reads `texts`,
 * `modelTexts`, `options`; the key gate `characterCount`): the whole extracted text, before any of it
 * is translated. A refused document costs nothing and is never stored.
 */
interface DocumentInput {
  texts: string[];
  modelTexts: string[];
  options: { beam_size: number; alternatives: number };
  characterCount: number;
  prepared: PreparedDocument;
  target: string;
  source: string | undefined;
}

type DocumentRouteEnv = RouteEnv<DocumentInput>;

const MAX_UPLOAD_BYTES = DOCUMENT_LIMITS.MAX_FILE_BYTES + DOCUMENT_FORM_OVERHEAD_BYTES;

/**
 * Reads the upload (bounded), resolves the languages and reads the document into units, refusing
 * anything wrong with a clear 4xx; the prepared document is `c.var.input` for the rate limiter.
 */
function preparedUpload(read: (request: Request, maxBytes: number) => Promise<DocumentUpload>, fields: { source: string; target: string }): MiddlewareHandler<DocumentRouteEnv> {
  return async (c, next) => {
    const upload = await read(c.req.raw, MAX_UPLOAD_BYTES);
    c.set('body', upload.apiKey === undefined ? {} : { api_key: upload.apiKey });
    const target = resolveLanguageOrThrow(upload.target, fields.target);
    const source = upload.source === undefined ? undefined : resolveLanguageOrThrow(upload.source, fields.source);
    const prepared = prepareDocument(upload.file.name, upload.file.bytes, DOCUMENT_LIMITS, c.get('services').config.limits);
    c.set('input', {
      texts: prepared.document.units.map((unit) => unit.text),
      modelTexts: prepared.modelTexts,
      options: { beam_size: 1, alternatives: 0 },
      characterCount: prepared.characters,
      prepared,
      target,
      source,
    });
    await next();
  };
}

async function translated(c: Context<DocumentRouteEnv>): Promise<Uint8Array> {
  const services = c.get('services');
  const { prepared, target, source } = c.get('input');
  const translate = flowBatchTranslator(
    {
      services,
      cache: services.cache,
      defer: deferFor(c),
      requestId: c.get('requestId'),
      clientIp: c.get('clientIp'),
      startedAt: c.get('startedAt'),
      signal: c.req.raw.signal,
    },
    target,
    source,
  );
  return await translateDocument(prepared, translate, services.config.limits);
}

/** A Content-Disposition that names the file for every client: an ASCII fallback and the UTF-8 name (RFC 6266). */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** The file as an attachment (Hono adds the headers set so far: request id, CORS, RateLimit-*). */
function fileResponse(bytes: Uint8Array, name: string, mediaType: string): Response {
  const headers = { 'content-type': mediaType, 'content-disposition': attachment(name), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers });
}

function storeOf(env: EdgeBindings): DocumentStore {
  return new KvDocumentStore(env.TRANSLATION_CACHE, DOCUMENT_LIMITS.MAX_STORED_BYTES);
}

/**
 * Document translation: POST /api/v1/translate-document answers with the translated file; LibreTranslate's
 * POST /translate_file stores it (KV, DOCUMENT_LIMITS.STORED_TTL_SECONDS) and answers with its download
 * link, GET /download_file/<id>.<name>. Both read the upload under their own bound (the app-wide body limit
 * skips them: DOCUMENT_UPLOAD_PATHS), refuse bad files before anything is charged, translated or stored,
 * and charge the whole document's cost before its first batch is translated.
 */
export function createDocumentsApp(): OpenAPIHono<EdgeEnv> {
  const app = new OpenAPIHono<EdgeEnv>();
  const api = new OpenAPIHono<DocumentRouteEnv>();
  api.openapi(
    { ...translateDocumentRoute, middleware: [preparedUpload(readApiUpload, { source: 'source_language', target: 'target_language' }), rateLimit()] },
    async (c) => {
      const bytes = await translated(c);
      const { prepared } = c.get('input');
      return fileResponse(bytes, prepared.name, prepared.format.mediaType);
    },
  );
  api.openapi(
    { ...ltTranslateFileRoute, middleware: [preparedUpload(readLtUpload, { source: 'source', target: 'target' }), rateLimit({ acceptBodyApiKey: true })] },
    async (c) => {
      const bytes = await translated(c);
      const { prepared } = c.get('input');
      const id = await storeOf(c.env).put({ bytes, name: prepared.name, mediaType: prepared.format.mediaType }, DOCUMENT_LIMITS.STORED_TTL_SECONDS);
      const url = new URL(`/download_file/${id}.${encodeURIComponent(prepared.name)}`, c.req.url);
      c.header('Cache-Control', 'no-store');
      return c.json({ translatedFileUrl: url.toString() }, 200);
    },
  );
  app.route('/', api);
  app.openapi(ltDownloadFileRoute, async (c) => {
    const filename = c.req.valid('param').filename;
    const stored = await storeOf(c.env).get(filename.split('.', 1)[0]!);
    if (!stored) throw new AppError('DOCUMENT_NOT_FOUND', 'Invalid filename: the file does not exist or has expired');
    return fileResponse(stored.bytes, stored.name, stored.mediaType);
  });
  return app;
}
