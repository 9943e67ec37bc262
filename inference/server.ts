import { serve, type ServerType } from '@hono/node-server';
import { configOrExit } from './config.js';
import { startContainer } from './container.js';

/**
 * The container's process: config (fail fast) → model → HTTP server, and the signals:
 * SIGTERM/SIGINT stop accepting, let in-flight work finish within SHUTDOWN_GRACE_MS, exit 0;
 * SIGHUP hot-reloads the model (the old one keeps serving if the new one fails to load).
 */
const config = configOrExit(process.env);

let container: Awaited<ReturnType<typeof startContainer>>;
try {
  container = await startContainer(config);
} catch (err) {
  console.error(`sema inference: could not start: ${(err as Error).message}`);
  process.exit(1);
}
const { logger } = container.deps;

const server: ServerType = serve({ fetch: container.app.fetch, port: config.port, hostname: config.host }, (info) => {
  logger.info({ port: info.port, host: config.host, model: container.deps.model.peek().info.label }, `listening on http://${config.host}:${info.port}`);
});
server.on('error', (err: NodeJS.ErrnoException) => {
  const reason = err.code === 'EADDRINUSE' ? `port ${config.port} is already in use (set PORT)` : err.message;
  logger.fatal({ code: err.code }, `cannot listen: ${reason}`);
  console.error(`sema inference: cannot listen: ${reason}`);
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal, grace_ms: config.shutdownGraceMs }, 'shutting down: no new connections, finishing in-flight requests');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await container.close(config.shutdownGraceMs);
  // Idle keep-alive sockets would hold server.close() open; in-flight ones have had their grace period.
  (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  await closed;
  logger.info('stopped');
  logger.flush();
  process.exit(0);
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGHUP', () => {
  void container.deps.reload().catch(() => undefined);
});
