// Sync benchmark (issue #4): the time to send 1,000 queued responses to the local reference
// collector, printed as responses per second. The responses are put in the widget's outbox as
// it stores them (with the page closed), then the widget is opened: it sends them at
// start-up, a few at a time (issue #24), each acknowledged and swapped for a receipt in
// IndexedDB. HANG=0.05 makes the collector hang on 5% of requests (past the widget's 30 s
// timeout): one slow server request must not hold up the rest.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../e2e/support/server.mjs';
import { launchPersistent } from '../e2e/support/browser.mjs';
import { startCollector } from '../e2e/support/collector.mjs';
import { seedDatabase, readStore, until } from '../e2e/support/storage.mjs';

const COUNT = Number(process.env.COUNT ?? 1000);
const HANG = process.env.HANG;
const server = await startServer();
const collector = await startCollector({ origins: [server.url], args: HANG ? ['--fault-hang', HANG, '--fault-seed', '2026'] : [] });
const profile = await mkdtemp(join(tmpdir(), 'sw-sync-bench-'));
const context = await launchPersistent(profile);
try {
  const page = await context.newPage();
  await page.goto(`${server.url}/fixtures/blank.html`);
  const responses = [];
  const outbox = [];
  for (let n = 1; n <= COUNT; n++) {
    const responseId = `6f1d2a9e-0c3b-4d5e-8f7a-${n.toString(16).padStart(12, '0')}`;
    const reference = `BNCH-${String(n).padStart(4, '0')}`;
    responses.push({ responseId, reference, surveyId: 'short-survey', surveyVersion: '1', startedAt: 1_795_705_000_000, completedAt: 1_795_705_445_123, answers: { name: `Person ${n}`, carer: n % 2 ? 'yes' : 'no', story: 'Some words about caring. '.repeat(8) } });
    outbox.push({ responseId, reference, surveyId: 'short-survey', queuedAt: n, attempts: 0, nextAttemptAt: 0, state: 'waiting', lastStatus: null, endpoint: collector.endpoint, headers: [] });
  }
  await seedDatabase(page, {
    version: 2,
    stores: { drafts: ['surveyId', 'surveyVersion'], responses: 'responseId', outbox: 'responseId', receipts: 'responseId' },
    records: { responses, outbox },
  });
  const start = Date.now();
  await page.goto(`${server.url}/host.html?src=/fixtures/short-survey.json&endpoint=${encodeURIComponent(collector.endpoint)}`);
  await until(async () => (await collector.health()).responses === COUNT, { timeout: 600000, what: `${COUNT} responses at the collector` });
  await until(async () => (await readStore(page, 'outbox')).length === 0, { timeout: 60000, what: 'an empty outbox' });
  const seconds = (Date.now() - start) / 1000;
  const receipts = (await readStore(page, 'receipts')).length;
  console.log(`sync benchmark: ${COUNT} queued responses sent to the local collector${HANG ? ` (hanging on ${HANG * 100}% of requests)` : ''} in ${seconds.toFixed(1)} s: ` +
    `${(COUNT / seconds).toFixed(0)} responses per second (${receipts} receipts, ${(await collector.health()).responses} stored)`);
} finally {
  await context.close();
  await collector.close();
  await server.close();
  await rm(profile, { recursive: true, force: true });
}
