import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { keepRecovering } from './interview/recovery.js';
import { errorFields } from './observability/error-fields.js';
import { start } from './start.js';

/** Starts the server: nothing else happens here. */
const fail = (message: string) => {
  console.error(`mockloop could not start: ${message}`);
  process.exit(1);
};

try {
  const deps = start();
  await deps.store.ready;
  const { port, host, http } = deps.config;
  // A client that sends its headers or its body a byte at a time is not waited for: 408 and closed
  // (HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS), checked every second rather than Node's 30.
  const serverOptions = {
    headersTimeout: http.headersTimeoutMs,
    requestTimeout: http.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, http.headersTimeoutMs),
  };
  const server = serve({ fetch: createApp(deps).fetch, port, hostname: host, serverOptions }, (info) => {
    deps.logger.info(
      { event: 'listening', address: info.address, port: info.port, provider: deps.config.provider, database: deps.store.kind },
      `mockloop listening on http://${info.address}:${info.port} (provider: ${deps.config.provider}, database: ${deps.store.kind} ${deps.store.location})`,
    );
  });
  // Turns that a crash, a kill or a restart left half done continue now, and whenever another
  // process sharing the database leaves one behind.
  const onError = (id: string, e: unknown) =>
    deps.logger.error({ event: 'resume_failed', session: id, error: errorFields(e) }, 'resume failed');
  // A database that is away for a while is reported and tried again later, never the end of the process.
  const onFailure = (e: unknown, retryInMs: number) =>
    deps.logger.warn({ event: 'recovery_failed', error: errorFields(e), retryInMs }, 'recovery failed');
  server.once('listening', () => {
    deps.loop.turns
      .recover(onError)
      .then((n) => n && deps.logger.info({ event: 'recovered', sessions: n }, `resumed ${n} session(s) left mid-turn`))
      .catch((e: unknown) => onFailure(e, 0));
  });
  const stopRecovery = keepRecovering(deps.loop.turns, Math.max(1000, Math.floor(deps.config.turnLeaseMs / 2)), onError, onFailure);
  server.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EADDRINUSE') fail(`PORT=${port}: the port is already in use on ${host} (another mockloop?); choose another PORT`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
      fail(`HOST=${host}: this machine has no such address to listen on; use 127.0.0.1 or an address of this machine`);
    }
    if (e.code === 'EACCES') fail(`PORT=${port}: not allowed to listen on this port; choose one above 1024`);
    fail(`${e.message}`);
  });
  // Graceful shutdown: new turns get 503 shutting_down at once (readiness says not ready, so the
  // load balancer stops sending), running turns get SHUTDOWN_GRACE_MS to end; the claims of any still
  // running are handed to another replica and their clients told to ask again; then the listener
  // and the connections close, the database closes, and the process exits.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    stopRecovery();
    const { finished, released, handedOver } = await deps.loop.turns.drain(deps.config.shutdownGraceMs);
    deps.logger.info(
      { event: 'stopping', signal, finished, released, handedOver },
      `mockloop stopping on ${signal}: ${finished} turn(s) finished, ${released} handed over`,
    );
    // The handed-over turns' streams carry their last event before the connections close.
    await new Promise((r) => setTimeout(r, released ? 200 : 0));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    if ('closeIdleConnections' in server) server.closeIdleConnections();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
    if ('closeAllConnections' in server) server.closeAllConnections();
    await deps.store.close().catch(() => {});
    await deps.sandbox.close().catch(() => {});
    await deps.tracing?.shutdown().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (e) {
  fail((e as Error).message);
}
