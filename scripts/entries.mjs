// Trunk post-build hook (issues #10 and #11): turns Trunk's output into the release artefact
// and the demo's pages.
//
// - survey-widget/<version>/: the folder a council copies onto its site (README,
//   "Embedding"). The hashed JS, wasm and CSS move in beside embed.js (filled in with their
//   names), the iframe page and preview.html. Nothing in it names the folder it is in, so it
//   works wherever it is served from.
//   The event build's JS and wasm (issue #10) and the sender's (issue #24) sit beside the
//   respondent's.
// - index.html and event.html: the demo pages load the widget through that same embed.js,
//   with no inline script (Trunk writes one; it goes) so they work under a strict Content
//   Security Policy. event.html is built from public/event.html.
// - themes.html: two councils' themes side by side.
// - console/ and survey-widget/<version>/preview.html: the officer console (issue #10) and the
//   web teams' preview page, their own Trunk targets built first by scripts/build.sh into
//   target/console-dist and target/preview-dist, copied in so the service worker's precache
//   list (the next hook) includes the console.
// Their own builds run this hook too, and do nothing.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR;
const html = process.env.TRUNK_HTML_FILE ?? '';
if (!dir) {
  console.error('entries: run as a Trunk hook (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
if (html.includes('entries')) process.exit(0);
const fail = (message) => {
  console.error(`entries: ${message}`);
  process.exit(1);
};
const release = (process.env.TRUNK_PROFILE ?? 'release') === 'release';

const version = readFileSync('Cargo.toml', 'utf8').match(/^version = "([^"]+)"/m)?.[1] ?? fail('no version in Cargo.toml');
const artefact = `survey-widget/${version}`;
const out = join(dir, artefact);

// Trunk's tags, minified or not: the stylesheet, the module preload, the wasm preload and
// the inline module script that starts the widget.
let index = readFileSync(join(dir, 'index.html'), 'utf8');
const head = index.slice(0, index.indexOf('</head>'));
const trunkTags = [
  ...[...head.matchAll(/<link\b[^>]*>/g)].map((m) => m[0])
    .filter((t) => /rel=["']?(modulepreload|preload|stylesheet)\b/.test(t) && /\.(js|wasm|css)\b/.test(t) && !t.includes('demo.css')),
  ...[...head.matchAll(/<script\b[^>]*type=["']?module\b[^>]*>[\s\S]*?<\/script>/g)].map((m) => m[0]),
];
const named = (re) => trunkTags.map((t) => t.match(re)?.[1]).find(Boolean);
const files = {
  js: named(/href=["']?\/?(?:[^"'\s>]*\/)?(survey-widget-[0-9a-f]+\.js)/),
  wasm: named(/href=["']?\/?(?:[^"'\s>]*\/)?(survey-widget-[0-9a-f]+_bg\.wasm)/),
  css: named(/href=["']?\/?(?:[^"'\s>]*\/)?(widget-[0-9a-f]+\.css)/),
};
for (const [kind, name] of Object.entries(files)) {
  if (!name) fail(`found no hashed ${kind} file in the built index.html`);
}

// The event build (issue #10): the widget with event mode, built first by scripts/build.sh
// into target/event-dist. Its JS and wasm go beside the respondent's; embed.js loads them
// instead only on a page with a mode="event" widget.
const eventDist = 'target/event-dist';
const eventFiles = existsSync(eventDist)
  ? {
      js: readdirSync(eventDist).find((f) => /^survey-event-[0-9a-f]+\.js$/.test(f)),
      wasm: readdirSync(eventDist).find((f) => /^survey-event-[0-9a-f]+_bg\.wasm$/.test(f)),
    }
  : {};
if (!eventFiles.js || !eventFiles.wasm) {
  if (release) fail(`no event build in ${eventDist}; run scripts/build.sh`);
  // A debug build without it: event pages load the respondent's build and say why not.
  eventFiles.js = files.js;
  eventFiles.wasm = files.wasm;
}

// The sender (issue #24): the send loop in its own module, built first by scripts/build.sh
// into target/sender-dist. embed.js loads it only when something waits to be sent.
const senderDist = 'target/sender-dist';
const senderFiles = existsSync(senderDist)
  ? {
      js: readdirSync(senderDist).find((f) => /^survey-sender-[0-9a-f]+\.js$/.test(f)),
      wasm: readdirSync(senderDist).find((f) => /^survey-sender-[0-9a-f]+_bg\.wasm$/.test(f)),
    }
  : {};
if ((!senderFiles.js || !senderFiles.wasm) && release) fail(`no sender build in ${senderDist}; run scripts/build.sh`);

// The artefact.
rmSync(join(dir, 'survey-widget'), { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const name of Object.values(files)) renameSync(join(dir, name), join(out, name));
for (const name of new Set(Object.values(eventFiles))) {
  if (!existsSync(join(out, name))) cpSync(join(eventDist, name), join(out, name));
}
if (senderFiles.wasm) cpSync(join(senderDist, senderFiles.wasm), join(out, senderFiles.wasm));
if (senderFiles.js) {
  // A classic script (wasm-bindgen's no-modules), so the service worker can import it for
  // Background Sync; its global gets a name of its own, not the generic `wasm_bindgen`,
  // which another app on a council's page might use.
  const glue = readFileSync(join(senderDist, senderFiles.js), 'utf8');
  const named = glue.replace(/^let wasm_bindgen\s*=/, 'self.surveySender=');
  if (named === glue) fail(`${senderFiles.js} does not start with wasm-bindgen's no-modules global`);
  writeFileSync(join(out, senderFiles.js), named);
}
const embedSource = join(dir, 'embed');
const loader = readFileSync(join(embedSource, 'embed.js'), 'utf8');
const filled = loader.replace(
  /^const FILES = \{.*$/m,
  `const FILES = ${JSON.stringify({ ...files, eventJs: eventFiles.js, eventWasm: eventFiles.wasm, senderJs: senderFiles.js ?? '', senderWasm: senderFiles.wasm ?? '' })};`,
);
if (filled === loader) fail('public/embed/embed.js lost its FILES line');
// Every page with a survey loads it: its comments and indentation stay in the source, not
// the release (it has no template literal that spans lines, which this would change).
const bare = filled
  .replace(/^[ \t]*\/\*\*[\s\S]*?\*\/\n/gm, '')
  .split('\n')
  .filter((l) => !/^\s*\/\//.test(l))
  .map((l) => l.trimStart())
  .join('\n');
if (bare.split('\n').some((l) => (l.match(/`/g) ?? []).length % 2)) fail('embed.js has a template literal across lines, which trimming would change');
writeFileSync(join(out, 'embed.js'), bare);
for (const name of ['frame.html', 'frame.js', 'frame.css']) cpSync(join(embedSource, name), join(out, name));
// The editor's worker, filled in below once the editor's files are in (issue #25).
const editorWorker = readFileSync(join(embedSource, 'editor-sw.js'), 'utf8');
// Issue #23: the widget's words in each language but English (which is built in), fetched
// from beside its code when a survey is shown in that language.
const locales = join(dir, 'locales');
if (!existsSync(locales)) fail('no locales folder: index.html copies src/core/text/locales');
mkdirSync(join(out, 'locales'), { recursive: true });
for (const name of readdirSync(locales)) {
  if (/^[a-z]{2,3}(-[A-Za-z0-9]+)*\.json$/.test(name) && !name.startsWith('en')) {
    renameSync(join(locales, name), join(out, 'locales', name));
  }
}
rmSync(locales, { recursive: true, force: true });
cpSync(join(dir, 'survey.schema.json'), join(out, 'survey.schema.json'));
cpSync(join(dir, 'response.schema.json'), join(out, 'response.schema.json'));
cpSync(join(dir, 'outcomes.schema.json'), join(out, 'outcomes.schema.json'));
rmSync(embedSource, { recursive: true });

// The demo pages: Trunk's tags out, the artefact's in (preloads so the code downloads while
// the page parses, as Trunk's did).
const tags = (prefix, build = files) => [
  `<link rel="stylesheet" href="${prefix}${artefact}/${files.css}">`,
  `<link rel="modulepreload" href="${prefix}${artefact}/${build.js}">`,
  `<link rel="preload" href="${prefix}${artefact}/${build.wasm}" as="fetch" type="application/wasm" crossorigin>`,
  `<script type="module" src="${prefix}${artefact}/embed.js"></script>`,
].join('\n  ');
for (const tag of trunkTags) index = index.replace(tag, '');
index = index.replace('</head>', `${tags('')}\n</head>`);
if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(index)) fail('index.html still has an inline script');
writeFileSync(join(dir, 'index.html'), index);

const marker = /<!-- widget-assets:[^>]*-->/;
const template = readFileSync('public/event.html', 'utf8');
if (!marker.test(template)) fail('public/event.html lost its widget-assets marker');
writeFileSync(join(dir, 'event.html'), template.replace(marker, tags('', eventFiles)));

const themes = readFileSync(join(dir, 'themes.html'), 'utf8');
if (!themes.includes('%ARTEFACT%')) fail('public/themes.html lost its %ARTEFACT% placeholders');
writeFileSync(join(dir, 'themes.html'), themes.replaceAll('%ARTEFACT%', artefact));

/**
 * Moves Trunk's inline start-up script out of a page into a file beside it, named by its
 * content's hash, so the page works under a policy with no 'unsafe-inline' (issue #21:
 * preview.html was blank under the README's policy).
 */
function externalise(folder, page, stem, then = '') {
  const path = join(folder, page);
  let text = readFileSync(path, 'utf8');
  for (const tag of [...text.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*type=["']?module\b[^>]*>([\s\S]*?)<\/script>/g)]) {
    if (then && !/\bbindings\b/.test(tag[1])) fail(`${page}: Trunk's start script no longer names its bindings`);
    const script = `${tag[1]}${then}`;
    const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
    const name = `${stem}-start-${hash}.js`;
    writeFileSync(join(folder, name), script);
    text = text.replace(tag[0], `<script type="module" src="./${name}"></script>`);
  }
  if (/<script(?![^>]*\bsrc=)[^>]*>/i.test(text)) fail(`${page} still has an inline script`);
  if (/\sstyle=|<style\b/i.test(text)) fail(`${page} has an inline style`);
  writeFileSync(path, text);
}

// The other entry points, when built: the console in its own folder, the preview page's and
// the editor's files beside the widget's (their names differ), as preview.html and editor.html. The console's start script
// also gives it the way to the sender's module in the artefact (issue #24), loaded once, when
// an officer presses "Send now".
const senderPath = (name) => JSON.stringify(`../${artefact}/${name}`);
const consoleSender = senderFiles.js
  ? `;let sender=null;bindings.useSender(()=>sender??=new Promise((ok,no)=>{const s=document.createElement('script');s.src=${senderPath(senderFiles.js)};s.onload=ok;s.onerror=()=>{s.remove();no(new Error('the sender did not load'))};document.head.append(s)}).then(async()=>{await self.surveySender({module_or_path:${senderPath(senderFiles.wasm)}});return self.surveySender}).catch((e)=>{sender=null;throw e}));`
  : '';
for (const [source, from, to, page, stem, then] of [
  ['src/entries/console', 'target/console-dist', 'console', 'index.html', 'event-console', consoleSender],
  ['src/entries/preview', 'target/preview-dist', artefact, 'preview.html', 'survey-preview', ''],
  ['src/entries/editor', 'target/editor-dist', artefact, 'editor.html', 'survey-editor', ";navigator.serviceWorker?.register('editor-sw.js').catch((e)=>console.warn('editor: offline copy:',e));"],
]) {
  if (existsSync(join(from, 'index.html'))) {
    mkdirSync(join(dir, to), { recursive: true });
    for (const name of readdirSync(from)) {
      cpSync(join(from, name), join(dir, to, name === 'index.html' ? page : name), { recursive: true });
    }
    externalise(join(dir, to), page, stem, then);
  } else if (release && existsSync(source)) {
    fail(`no build of ${source} in ${from}; run scripts/build.sh`);
  }
}
// The editor's own worker (issue #25), so editor.html opens again with no signal: its files
// and what its preview frames load, named relative to the artefact folder (the worker's scope).
const editorFiles = readdirSync(out).filter((f) => /^(editor[^/]*|survey-editor-[^/]*|frame\.(html|js|css)|embed\.js|preview-[0-9a-f]+\.css)$/.test(f));
if (editorFiles.includes('editor.html')) {
  for (const f of Object.values(files)) editorFiles.push(f);
  const locales = existsSync(join(out, 'locales')) ? readdirSync(join(out, 'locales')).map((f) => `locales/${f}`) : [];
  editorFiles.push(...locales);
  const sorted = [...new Set(editorFiles)].sort();
  const hash = createHash('sha256');
  for (const f of sorted) hash.update(f).update('\0').update(readFileSync(join(out, f)));
  const worker = editorWorker
    .replace(/^const VERSION = .*;$/m, `const VERSION = ${JSON.stringify(hash.digest('hex').slice(0, 16))};`)
    .replace(/^const FILES = \[\];$/m, `const FILES = ${JSON.stringify(sorted)};`);
  if (!worker.includes(sorted[0])) fail('public/embed/editor-sw.js lost its FILES line');
  writeFileSync(join(out, 'editor-sw.js'), worker);
}
console.log(`entries: ${artefact}/ (embed.js, ${[...Object.values(files), ...Object.values(eventFiles)].join(', ')}), index.html, event.html, themes.html`);
