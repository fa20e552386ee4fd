import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { start } from './start.js';

/** Starts the server: nothing else happens here. */
try {
  const deps = start();
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: deps.config.port, hostname: deps.config.host }, (info) => {
    console.log(
      `mockloop listening on http://${info.address}:${info.port} (provider: ${deps.config.provider}, database: ${deps.config.databasePath})`,
    );
  });
  // Grades that a crash or restart left unfinished are completed now, in the background.
  deps.loop
    .recover((id, e) => console.error(`could not resume session ${id}: ${(e as Error).message}`))
    .then((n) => n && console.log(`resumed ${n} session(s) with an unfinished grade`));
  const stop = () => {
    server.close();
    deps.db.$client.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  console.error(`mockloop could not start: ${(e as Error).message}`);
  process.exit(1);
}
