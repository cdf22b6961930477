// Trunk post-build hook: fills in the service worker's precache list and version.
//
// Lists every file of the build the widget needs offline (the page, JS, wasm, CSS, icons,
// manifest and survey definitions) and names the version after a hash of their contents,
// so every deployment that changes a byte gets a new cache. Debug builds (`trunk serve`)
// leave the list empty: the worker then caches nothing and development sees every change.
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createHash } from 'node:crypto';

// The console's and preview's own builds (scripts/build.sh) have no worker: they are copied
// into this one's.
if ((process.env.TRUNK_HTML_FILE ?? '').includes('entries')) process.exit(0);
const dir = process.env.TRUNK_STAGING_DIR ?? process.argv[2];
if (!dir) {
  console.error('service-worker: set TRUNK_STAGING_DIR or pass the build directory');
  process.exit(1);
}
const release = (process.env.TRUNK_PROFILE ?? 'release') === 'release';
// Not needed to answer a survey: the worker itself, Trunk's lock, and the editors' schema.
const SKIP = new Set(['sw.js', '.trunk-lock', 'survey.schema.json']);
// Nor what only web teams use (issue #11): the preview page, the editor (issue #25), the
// iframe page, the schemas, and the themes demo. A respondent's phone should not download them.
const WEB_TEAMS = /(^|\/)(preview[^/]*|survey-preview-[^/]*|editor[^/]*|survey-editor-[^/]*|frame\.[a-z]+|[a-z]+\.schema\.json|themes\.[a-z]+)$/;

function walk(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

// What only an event tablet needs (issue #10): the event page, the event build and the
// officer console. The worker caches them only on a device that opens one of those pages,
// so a carer's phone does not download about 1 MB it will never use.
const OFFICER = /^(event\.html|console\/.*|survey-widget\/[^/]+\/survey-event-[^/]*)$/;

const all = walk(dir)
  .map((path) => relative(dir, path).split(sep).join('/'))
  .filter((path) => !SKIP.has(path.split('/').pop()) && !WEB_TEAMS.test(path))
  .sort();
const files = all.filter((path) => !OFFICER.test(path));
const officer = all.filter((path) => OFFICER.test(path));
// The sender (issue #24), which the worker imports to send with no page open.
const sender = {
  js: files.find((path) => /\/survey-sender-[0-9a-f]+\.js$/.test(path)) ?? '',
  wasm: files.find((path) => /\/survey-sender-[0-9a-f]+_bg\.wasm$/.test(path)) ?? '',
};
if (release && (!sender.js || !sender.wasm)) {
  console.error('service-worker: no sender in the build');
  process.exit(1);
}
const hash = createHash('sha256');
for (const path of all) hash.update(path).update('\0').update(readFileSync(join(dir, path)));
const version = hash.digest('hex').slice(0, 16);

const swPath = join(dir, 'sw.js');
const template = readFileSync(swPath, 'utf8');
const filled = template
  .replace(/^const VERSION = .*;$/m, `const VERSION = ${JSON.stringify(release ? version : 'debug')};`)
  .replace(/^const PRECACHE = .*;$/m, `const PRECACHE = ${JSON.stringify(release ? files : [])};`)
  .replace(/^const OFFICER = .*;$/m, `const OFFICER = ${JSON.stringify(release ? officer : [])};`)
  .replace(/^const SENDER = .*;$/m, `const SENDER = ${JSON.stringify(release ? sender : { js: '', wasm: '' })};`);
if (filled === template && release) {
  console.error('service-worker: sw.js has no VERSION/PRECACHE lines to fill');
  process.exit(1);
}
writeFileSync(swPath, filled);
console.log(`service-worker: ${release ? `${files.length} files (and ${officer.length} for event devices), version ${version}` : 'debug build, no precache'}`);
