// Size budget (issue #2): prints raw, gzip and brotli sizes of what the release build ships
// and fails when the brotli total needed to show the first question (HTML, JS, wasm, CSS;
// not the survey JSON) is over the budget.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, extname, relative } from 'node:path';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

const BUDGET_BROTLI_BYTES = 120 * 1024;
// Issue #2's budget is 120 KB and is not met (see docs/benchmarks.md). Until it is,
// the check fails on any growth past this ceiling, so the bundle can only shrink unless the
// ceiling is raised on purpose, with the reason here and in docs/benchmarks.md. It was 144 KB for
// issue #2's features; issue #3's offline storage added about 23 KB (raised to 166 KB) and
// issue #4's sync about 22 KB (raised to 188 KB). Issue #8 (allowed +1 KB) came out 8.1 KB
// smaller, at 179.3 KB, because reactive views are no longer diffed in place (src/ui/fresh.rs):
// lowered to 179.5 KB; the rating end labels laid out from the row's ends added 0.2 KB
// (179.5 KB measured), so 179.7 KB. Issue #10 (allowed +5 KB) measured +8.8 KB, to 188.3 KB:
// event mode's welcome screen, idle warning and reset (about 1.5 KB for the warning alone,
// 2.4 KB before it became a static, hidden tree), the event's record and `context`, 13
// catalogue messages, the wake lock and history calls; the 5 KB limit is NOT met
// (see docs/benchmarks.md). Issue #11 (allowed +3 KB, loader included) measured
// +4.9 KB, to 193.2 KB: the loader embed.js (1.4 KB, with the preloads of the wasm and the
// survey that take about 300 ms off the element's time to first control), the custom element's mounting, shadow
// root lookups and unmounting, the five host events with their details, the preview mode,
// and the theming properties and base size in the CSS; the 3 KB limit is NOT met
// (see docs/benchmarks.md). Issue #12 (allowed +2 KB) measured +3.6 KB, to 196.8 KB: "You said, we did"
// on the start page and beside each reference (the feed read and kept for offline, its
// markup built in core, 19 catalogue messages, the stage column, 0.1 KB of CSS), the
// reference code in the protocol body, and demo.js naming the feed (0.1 KB). It loads after
// the survey is interactive, but its code is in the first load; the 2 KB limit is NOT met
// (docs/benchmarks.md, says what was tried). Leaving out an action status the widget
// does not know (rather than showing its message key) added 0.2 KB, to 197.0 KB. Then event
// mode moved into a build of its own (the `event` feature, `survey-event`, loaded by embed.js
// only for a mode="event" widget) with its 13 messages, and embed.js lost its comments in the
// release: 189.3 KB, within the 189.5 KB that issues #8 (179.5 KB), #10 (+5), #11 (+3) and
// #12 (+2) allow together. A build per widget (the event build with event mode only, a page
// with both kinds loading both: the hosts each build mounts, its own id prefix, the refusal
// either way), with the cargo folder's path left out of panic locations (release-flags.sh,
// so the wasm is the same on every machine) and a shorter refusal message: 189.23 KB
// (193,771 bytes); 189.11 KB (193,649 bytes) with the shared device's confirmation words
// decided inside core::storage::confirmation_keys. Issue #21 (allowed +1 KB) measured
// +1.22 KB, to 190.33 KB (194,901 bytes): the browser's Back and Forward through the
// questions (history entries, about 0.55 KB after three rewrites: plain statics rather than a
// stored value, a number as each entry's state, Reflect calls rather than new bindings), a
// Change visiting every page it reveals (0.1 KB; not kept with a draft, which cost 0.25 KB),
// the responses list's status over its first step, the short offline line, the scale fix in
// the CSS and the `history` attribute; the 1 KB limit is NOT met (docs/benchmarks.md).
// Issue #22 (allowed +0 KB: "does not grow") measured +0.88 KB, to 191.21 KB (195,803
// bytes); NOT met. The wasm alone, step by step (bytes brotli): 182,286 before; core in
// folders and load.rs split 182,052; the one sender shared with the console, and the
// response's locale and context built in core, 182,385; a view model in core for every
// question kind (core::respond::field::Control, borrowing from the question, its builder
// kept out of line) 183,031; the app's context in its own file with what components ask of
// the app, and the event seam, about 183,190. Tried: the widget on the shared error summary
// (+0.19 KB, not taken), `--cfg erase_components` (+4.6 KB with this code). Brotli's output
// moves by up to about 0.2 KB for a small change in the wasm (a change that made the wasm
// 100 bytes smaller has made its brotli 200 bytes larger), so figures closer than that are
// noise. Then wasm-opt's `--converge` (its -Oz passes run until the wasm stops shrinking):
// 190.88 KB (195,466 bytes), still +0.55 KB over #22's "does not grow"; NOT met. Lower it as
// the bundle shrinks. Issue #23 (allowed +3 KB for an English-only survey) measured +9.62 KB,
// to 200.50 KB (205,312 bytes); NOT met. Of the wasm's 27.8 KB more before compression: the
// loader reading texts per language, the declared languages, drafts and every missing
// translation with its path (about 6 KB); choosing the first language, fetching a catalogue
// and switching in place with errors worked out again (about 7 KB: the load, the switch, the
// catalogue fetch, the root's lang and dir); the switch's markup made in core as HTML (as a
// Leptos view it measured 0.4 KB more), the screens and banners redrawn in a new language,
// plurals (0.6 KB), the yes/no labels, languagesUsed kept with the draft, Arabic-Indic digits
// and NFC; plus the switch's CSS and the demo page's Welsh link. Tried: a view per language
// link (+0.4 KB), a second reactive wrapper to redraw everything (+0.75 KB), lang and dir bound
// on the root (+0.3 KB).
// Then 200.60 KB (205,414 bytes) with the Urdu fonts' CSS and the loader's hook for
// preview.html's side-by-side texts (a function pointer only preview.html sets: as a flag it
// measured 0.7 KB more).
// Then 201.13 KB (205,960 bytes) with "You said, we did" shown in the person's language (the
// feed's texts as {en, cy}, a text in another language marked with its lang).
// Issue #24, its first step taken early because it is what brings issues #21 to #23 within
// their allowances: the send loop in a module of its own (survey-sender, printed below),
// which a page loads only once something waits to be sent: 190.93 KB (195,515 bytes),
// -10.26 KB. Together #21 (+1 KB), #22 (+0) and #23 (+3 KB) allowed 189.11 + 4 = 193.11 KB:
// met together (each issue's own growth is above; #21 and #22 alone were over).
// Then issue #22's shared error summary (src/components/) in the widget too, so it exists once
// for all three entry points, and plain-string outcome texts marked with the survey's
// language: 191.32 KB (195,912 bytes), +0.39 KB; still within #21 to #23's 193.11 KB.
// Then issue #23's drafts marked string by string (a title, a hint, a choice's hint, the
// description each with its own lang where it fell back to the default language, not the
// whole question): 191.64 KB (196,235 bytes), +0.32 KB; within 193.11 KB.
// Then the browser's Intl.PluralRules asked first, the widget's own rules the fallback where a
// browser lacks a language (issue #23: a catalogue in a language without rules here still gets
// its plurals): 192.04 KB (196,645 bytes), +0.40 KB; within 193.11 KB.
// Issue #24: each response's status live in other tabs (one BroadcastChannel listener per
// page, serving every widget on it; the sender broadcasts each attempt): 192.68 KB (197,307
// bytes), +0.64 KB.
// Issue #24: sending with no page open (the widget leaves what waits to the service worker's
// Background Sync when it cannot send; embed.js registers the tag; the sender's glue a classic
// script, loaded by a <script> the page adds): 192.83 KB (197,462 bytes), +0.15 KB.
// Issue #24: JSON read by the browser's JSON.parse and walked into serde_json's Value
// (platform::json) instead of serde_json's parser, in every web build: 186.17 KB (190,635
// bytes), -6.66 KB.
// Issue #25's advice on a survey as written (core::survey::advice), which the widget never
// calls: adding it to the crate reordered the widget's code (raw 8 bytes smaller, the same
// with the module declared first or last), brotli 186.22 KB (190,686 bytes), +0.05 KB.
// Then 186.10 KB (190,565 bytes) with issue #25's paste-as-text module beside it, again
// unreachable from the widget: the same reordering, this time smaller. Lowered to it.
// Then 186.04 KB with issue #25's spreadsheets and publishing rules beside it (unreachable);
// 186.19 KB (190,654 bytes, +0.15 KB) once IndexedDB's open takes each database's upgrade
// steps (`idb::open_with`), so the survey editor keeps its surveys in a database of its own
// with the widget's code: 0.34 KB when the steps came as a list or a function pointer, 0.17 KB
// as each caller's own function type. The editor's rules stay out of this build (the
// `authoring` feature): present, unreachable, they had moved it by 0.67 KB.
const CEILING_BROTLI_BYTES = 186.2 * 1024; // 186.19 KB (190,654 bytes) measured
// The event page's first load (event.html, the event build, embed.js, the CSS): issue #10
// allows event mode 5 KB over the respondent's load. Measured 196.9 KB (+7.6 KB, not met)
// while the event build also carried the standard mode; with event mode only (no "Your
// responses on this device", which a shared device never offers; a page with both kinds of
// widget loads both builds) 191.91 KB, +2.7 KB: met. The confirmation's words for a shared
// device (no "you can close this page", in core::storage::confirmation_keys): 191.95 KB
// (196,557 bytes), +2.8 KB. Issue #21: 193.86 KB, the respondent's +1.2 KB (above) and the
// refusal of a survey the device was not set up for, with its way to the console (+0.5 KB);
// event mode 3.5 KB over the respondent's, within issue #10's 5 KB. Issue #22's `^`/`$`
// anchors in the shared pattern matcher: 193.91 KB (the respondent's load unchanged, 190.33).
// Issue #22: 195.19 KB, the respondent's +0.88 KB (above) and the event seam's context built
// in core; event mode 4.0 KB over the respondent's, within issue #10's 5 KB. With wasm-opt's
// `--converge`: 194.91 KB. Issue #23: 204.32 KB, the respondent's +9.6 KB (above) and the next
// person back in the event's default language; event mode 3.8 KB over the respondent's. Then
// 204.45 KB with the Urdu fonts' CSS and the loader's hook for preview.html; 204.88 KB with the
// outcomes in the person's language.
// Issue #24's first step (the sender in its own module, above): 195.01 KB; event mode 4.0 KB
// over the respondent's.
// Then 195.44 KB with the shared error summary (above); 195.65 KB with drafts marked string by
// string; 195.92 KB with Intl.PluralRules asked first; 196.86 KB with the status live across tabs;
// 197.16 KB with sending left to the service worker when the page cannot send (above);
// 190.21 KB with JSON read by the browser's JSON.parse (above); 190.33 KB when issue #25's
// advice module, which event mode never calls, reordered the build's code (above); 190.21 KB
// with the paste-as-text module (the same reordering, smaller). 190.29 KB (+0.07 KB) with
// IndexedDB's open shared with the survey editor's own database (above).
const EVENT_CEILING_KB = 190.3;
// Issue #10: the officer console's own first load (console/), measured 176.4 KB brotli;
// issue #11's shared platform code (lookups inside shadow roots) made it 176.8 KB; issue
// #12's shared core (the survey file's `outcomes`, the reference in the body) 177.3 KB.
// Issue #21: 182.16 KB (+4.9 KB): "Ready to work offline" asked of the service worker, the
// event's survey kept to (loaded from the setup, responses to another counted apart),
// personal questions counted, bars labelled in HTML, the end counts, Export and End moved up,
// dates in words. File names keep their letters by Unicode block: Rust's case tables would
// have cost 6.4 KB more. Issue #22: 183.63 KB (+1.47 KB): the one send loop shared with the
// widget (a response missing from storage finishes as refused, storage read again when
// nothing is due; about +0.6 KB) and the shared GOV.UK error summary (src/components/);
// then 183.92 KB with the error messages' hidden "Error:" and the title's prefix taken from
// the console's catalogue rather than written in English in the component (+0.29 KB); then
// 183.74 KB with its text field's aria-describedby from core rather than its own copy.
// wasm-opt's `--converge` made the console's brotli 0.08 KB larger, so its build goes without.
// Issue #23: 186.56 KB (+2.8 KB), the shared loader reading surveys in several languages with
// every missing translation reported, and plurals; 186.62 KB with the widget's stylesheet's
// Urdu fonts (the console loads it too); 186.83 KB with the shared loader's hook for
// preview.html's side-by-side texts. Then 193.85 KB (+7.0 KB): the console in Welsh, its own
// Welsh catalogue and the widget's Welsh for the answers' labels built in rather than fetched,
// so a tablet set up once works offline in either language without a file more to cache;
// 194.20 KB with the shared outcomes code reading texts in several languages.
// Issue #22's shared GOV.UK form group and summary list (src/components/), which the console
// now draws its fields and figures with: 194.81 KB (+0.58 KB; the preview page +3.2 KB, no
// ceiling: web teams only).
// Then 194.98 KB with the shared loader marking drafts string by string; 198.17 KB (+3.2 KB)
// with issue #24's parallel sending (a few requests at once, FuturesUnordered) in the send loop
// the console runs in its own wasm. Then 185.47 KB (-12.6 KB): the console sends through the
// sender's own module as the widget does (issue #24), loaded when an officer presses Send now.
// Then 180.74 KB (-4.7 KB): JSON read by the browser's JSON.parse (issue #24); 180.63 KB
// after issue #25's authoring modules joined the crate (reordered, unreachable from it).
// 180.73 KB (+0.09 KB) with IndexedDB's open shared with the survey editor (above).
const CONSOLE_CEILING_KB = 180.74;
const dist = process.argv[2] ?? 'dist';
// Issue #11: the widget's code is in the release artefact, loaded through embed.js; the
// first load is the demo page plus what it loads from there (the same files a council's page
// loads, plus its own HTML).
const artefactRoot = join(dist, 'survey-widget');
const artefact = join(artefactRoot, readdirSync(artefactRoot)[0] ?? '');
const widgetFiles = readdirSync(artefact)
  .filter((f) => /^(embed\.js|survey-widget-[0-9a-f]+(\.js|_bg\.wasm)|widget-[0-9a-f]+\.css)$/.test(f))
  .map((f) => join(artefact, f));
const files = [
  ...readdirSync(dist)
    .filter((f) => statSync(join(dist, f)).isFile())
    .filter((f) => ['index.html', 'demo.css', 'demo.js'].includes(f))
    .map((f) => join(dist, f)),
  ...widgetFiles,
];
if (!files.some((f) => f.endsWith('.wasm'))) {
  console.error(`size budget: no .wasm in ${artefact}; run scripts/build.sh first`);
  process.exit(1);
}

const kb = (n) => (n / 1024).toFixed(1).padStart(8);
let total = { raw: 0, gzip: 0, brotli: 0 };
console.log(`${'file'.padEnd(44)} ${'raw KB'.padStart(8)} ${'gzip KB'.padStart(8)} ${'br KB'.padStart(8)}`);
for (const f of files) {
  const data = readFileSync(f);
  const sizes = {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  for (const k of Object.keys(total)) total[k] += sizes[k];
  console.log(`${relative(dist, f).padEnd(44)} ${kb(sizes.raw)} ${kb(sizes.gzip)} ${kb(sizes.brotli)}`);
}
console.log(`${'total to first question'.padEnd(44)} ${kb(total.raw)} ${kb(total.gzip)} ${kb(total.brotli)}`);
const verdict = total.brotli <= BUDGET_BROTLI_BYTES ? 'within' : 'OVER';
console.log(`size budget: ${(total.brotli / 1024).toFixed(2)} KB brotli (${total.brotli} bytes), ${verdict} the ${BUDGET_BROTLI_BYTES / 1024} KB budget`);
let failed = false;
if (total.brotli > CEILING_BROTLI_BYTES) {
  console.error(`size budget: FAIL, grew past the ${CEILING_BROTLI_BYTES / 1024} KB ceiling`);
  failed = true;
}

// The event page (issue #10): what a tablet at an event loads, the widget with event mode.
let eventTotal = 0;
const eventFiles = [
  join(dist, 'event.html'),
  join(dist, 'demo.css'),
  ...readdirSync(artefact)
    .filter((f) => /^(embed\.js|survey-event-[0-9a-f]+(\.js|_bg\.wasm)|widget-[0-9a-f]+\.css)$/.test(f))
    .map((f) => join(artefact, f)),
];
if (!eventFiles.some((f) => f.endsWith('.wasm'))) {
  console.error(`size budget: no event build (survey-event-*_bg.wasm) in ${artefact}`);
  failed = true;
}
for (const f of eventFiles) {
  const data = readFileSync(f);
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  eventTotal += br;
  if (/survey-event/.test(f)) console.log(`${relative(dist, f).padEnd(44)} ${kb(data.length)} ${''.padStart(8)} ${kb(br)}`);
}
console.log(
  `size budget: event.html first load ${(eventTotal / 1024).toFixed(2)} KB brotli ` +
    `(event mode ${((eventTotal - total.brotli) / 1024).toFixed(1)} KB over the respondent's; issue #10 allows 5 KB)`,
);
if (eventTotal > EVENT_CEILING_KB * 1024) {
  console.error(`size budget: FAIL, the event page grew past its ${EVENT_CEILING_KB} KB ceiling`);
  failed = true;
}

// The officer console (issue #10): its own entry point, which respondents never load. A
// ratchet of its own, so it does not grow unnoticed either.
const CONSOLE_CEILING_BROTLI_BYTES = CONSOLE_CEILING_KB * 1024;
const consoleDir = join(dist, 'console');
let consoleTotal = 0;
for (const f of readdirSync(consoleDir).filter((f) => ['.html', '.js', '.wasm', '.css'].includes(extname(f))).sort()) {
  const data = readFileSync(join(consoleDir, f));
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  consoleTotal += br;
  console.log(`${('console/' + f).padEnd(44)} ${kb(data.length)} ${''.padStart(8)} ${kb(br)}`);
}
console.log(`size budget: officer console first load ${(consoleTotal / 1024).toFixed(2)} KB brotli`);
if (consoleTotal > CONSOLE_CEILING_BROTLI_BYTES) {
  console.error(`size budget: FAIL, the console grew past its ${CONSOLE_CEILING_KB} KB ceiling`);
  failed = true;
}
// The preview page (issue #11): web teams only, never part of a respondent's load.
let previewTotal = 0;
for (const f of readdirSync(artefact).filter((f) => /^(preview|survey-preview-)/.test(f))) {
  previewTotal += brotliCompressSync(readFileSync(join(artefact, f)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
console.log(`size budget: preview.html first load ${(previewTotal / 1024).toFixed(1)} KB brotli (not a respondent's)`);
// The survey editor (issue #25): the people shaping a survey only.
let editorTotal = 0;
for (const f of readdirSync(artefact).filter((f) => /^(editor|survey-editor-)/.test(f))) {
  editorTotal += brotliCompressSync(readFileSync(join(artefact, f)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
console.log(`size budget: editor.html first load ${(editorTotal / 1024).toFixed(1)} KB brotli (not a respondent's)`);
if (!editorTotal) {
  console.error(`size budget: FAIL, no editor (survey-editor-*) in ${artefact}`);
  failed = true;
}

// Issue #24: the sender, loaded once per page only when something waits to be sent (never in
// a first load with nothing to send), and precached by the service worker for offline visits.
let senderTotal = 0;
for (const f of readdirSync(artefact).filter((f) => /^survey-sender-[0-9a-f]+(\.js|_bg\.wasm)$/.test(f))) {
  senderTotal += brotliCompressSync(readFileSync(join(artefact, f)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
}
console.log(`size budget: the sender ${(senderTotal / 1024).toFixed(1)} KB brotli, loaded only when something waits to be sent`);
if (!senderTotal) {
  console.error(`size budget: FAIL, no sender (survey-sender-*) in ${artefact}`);
  failed = true;
}

// Issue #23: the widget's words in each language but English are fetched when that language
// is shown, never before: an English+Welsh survey opened in Welsh loads the first load plus
// cy.json, and each switch to a language not yet shown loads that language's file.
const locales = join(artefact, 'locales');
for (const f of existsSync(locales) ? readdirSync(locales).sort() : []) {
  const bytes = brotliCompressSync(readFileSync(join(locales, f)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`size budget: locales/${f} ${(bytes / 1024).toFixed(2)} KB brotli (${bytes} bytes), what a switch to it loads; first load in it ${((total.brotli + bytes) / 1024).toFixed(2)} KB`);
}
if (!existsSync(join(locales, 'cy.json'))) {
  console.error('size budget: FAIL, no locales/cy.json in the artefact');
  failed = true;
}
if (failed) process.exit(1);
