// Runs the reference collector (built by the test command) on a free loopback port.
import { spawn, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = resolve(new URL('../../..', import.meta.url).pathname);
export const COLLECTOR = process.env.COLLECTOR ?? join(ROOT, 'target/debug/survey-collector');

/** The surveys the tests answer: the built-in ones and the fixtures they post. */
const SURVEYS = ['public/surveys', 'tests/fixtures/short-survey.json', 'tests/fixtures/scales-survey.json', 'tests/fixtures/long-words.json'];

/** Starts a collector with `args` (e.g. ['--fault-fail', '0.2']); resolves to
 *  { url, endpoint, token, health(), responses(survey), close() }, where health() and
 *  responses() use an API token made for the test, as Power BI or a script would. */
export async function startCollector({ origins = [], args = [] } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'sw-collector-'));
  const db = join(dir, 'responses.sqlite');
  const token = execFileSync(COLLECTOR, ['token', 'add', '--name', 'e2e', '--db', db], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString().trim();
  const child = spawn(COLLECTOR, [
    '--port', '0', '--db', db,
    ...SURVEYS.flatMap((s) => ['--surveys', join(ROOT, s)]),
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
  const get = async (path) => (await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${token}` } })).json();
  return {
    url,
    token,
    db,
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
