// Runs the reference collector (built by the test command) on a free loopback port.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
export const COLLECTOR = process.env.COLLECTOR ?? join(ROOT, 'target/debug/survey-collector');

/** Starts a collector with `args` (e.g. ['--fault-fail', '0.2']); resolves to
 *  { url, endpoint, health(), responses(survey), close() }. */
export async function startCollector({ origins = [], args = [] } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'sw-collector-'));
  const child = spawn(COLLECTOR, [
    '--port', '0', '--db', join(dir, 'responses.sqlite'),
    '--surveys', join(ROOT, 'public/surveys'),
    ...origins.flatMap((o) => ['--origin', o]),
    ...args,
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = [];
  child.stderr.on('data', (d) => log.push(d.toString()));
  const url = await new Promise((ok, fail) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const found = out.match(/listening on (http:\/\/\S+)/);
      if (found) ok(found[1]);
    });
    child.once('exit', (code) => fail(new Error(`collector exited with ${code}: ${log.join('')}`)));
  });
  const get = async (path) => (await fetch(`${url}${path}`)).json();
  return {
    url,
    endpoint: `${url}/responses`,
    log,
    health: () => get('/health'),
    responses: (survey) => get(`/surveys/${survey}/responses.json`),
    close: async () => {
      child.kill();
      await new Promise((ok) => (child.exitCode === null ? child.once('exit', ok) : ok()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
