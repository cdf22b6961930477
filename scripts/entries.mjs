// Trunk post-build hook (issue #10): adds the demo's other entry points to the build.
//
// - event.html: the event-mode demo page. It runs the respondent's own widget, so it takes the
//   hashed script, wasm and CSS tags from the index.html Trunk just wrote, instead of a second
//   build of the same code.
// - console/: the officer console, a second Trunk target with its own wasm, built first into
//   target/console-dist by scripts/build.sh and copied in here so the service worker's
//   precache list (the next hook) includes it and the console works offline.
// The console's own build runs this hook too, and does nothing.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
const html = process.env.TRUNK_HTML_FILE ?? '';
if (!dir) {
  console.error('entries: run as a Trunk hook (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
if (html.includes('console')) process.exit(0);

const index = readFileSync(join(dir, 'index.html'), 'utf8');
const head = index.slice(0, index.indexOf('</head>'));
// Trunk's tags, minified or not: the stylesheet, the module preload, the wasm preload and
// the inline module script that starts the widget.
const tags = [
  ...[...head.matchAll(/<link\b[^>]*>/g)].map((m) => m[0])
    .filter((t) => /rel=["']?(modulepreload|preload|stylesheet)\b/.test(t) && !t.includes('surveys/')),
  ...[...head.matchAll(/<script\b[^>]*type=["']?module\b[^>]*>[\s\S]*?<\/script>/g)].map((m) => m[0]),
];
if (!tags.some((t) => t.includes('.wasm'))) {
  console.error('entries: found no wasm in the built index.html');
  process.exit(1);
}
const template = readFileSync('public/event.html', 'utf8');
const marker = /<!-- widget-assets:[^>]*-->/;
if (!marker.test(template)) {
  console.error('entries: public/event.html lost its widget-assets marker');
  process.exit(1);
}
writeFileSync(join(dir, 'event.html'), template.replace(marker, tags.join('\n  ')));

const consoleDist = 'target/console-dist';
const release = (process.env.TRUNK_PROFILE ?? 'release') === 'release';
if (existsSync(join(consoleDist, 'index.html'))) {
  cpSync(consoleDist, join(dir, 'console'), { recursive: true });
  console.log('entries: event.html written, console/ copied');
} else if (release) {
  console.error('entries: no console build in target/console-dist; run scripts/build.sh');
  process.exit(1);
} else {
  console.log('entries: event.html written (no console build yet)');
}
