// The set-up most end-to-end files share: the release build served on loopback and one
// headless Chromium, started before the file's tests and stopped after them.
import { before, after } from 'node:test';
import { startServer } from './server.mjs';
import { launch } from './browser.mjs';

/** Starts the server (with `options`, as `startServer` takes them) and Chromium before the
 *  file's tests, stops both after; `env.server` and `env.browser` are set once started. */
export function serverAndBrowser(options = {}) {
  const env = { server: null, browser: null };
  before(async () => {
    env.server = await startServer(options);
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.close();
  });
  return env;
}
