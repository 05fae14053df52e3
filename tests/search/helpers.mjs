// Shared by the search tests: paths, a fresh lunr with the Indonesian plugin, and Material for
// MkDocs' own search worker run in a Node vm (the code the browser runs, minus the browser).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const LUNR_DIR = join(ROOT, "overrides/assets/javascripts/lunr");
export const SOURCE = join(LUNR_DIR, "lunr.id.js");
export const MINIFIED = join(LUNR_DIR, "min/lunr.id.min.js");
export const EN_MINIFIED = join(LUNR_DIR, "min/lunr.en_stem.min.js");

const require = createRequire(import.meta.url);

/**
 * lunr (npm) with a plugin loaded from the minified file the site ships (lunr.keepstem.js + the
 * language's plugin), run the way Material's worker runs it: as a script that finds lunr global.
 */
export function loadLunr(plugin = MINIFIED) {
  const lunr = require("lunr");
  const name = /lunr\.([^.]+)\.min\.js$/.exec(plugin)?.[1];
  if (!name || !lunr[name]) {
    vm.runInContext(readFileSync(plugin, "utf8"), vm.createContext({ lunr }), { filename: plugin });
  }
  return lunr;
}

/** A lunr index of `docs` ({id, title, body}) built with `plugin`, as the search tests need it. */
export function buildIndex(lunr, plugin, docs) {
  return lunr(function () {
    if (plugin) this.use(plugin);
    this.ref("id");
    this.field("title", { boost: 10 });
    this.field("body");
    this.metadataWhitelist = ["position"];
    for (const doc of docs) this.add(doc);
  });
}

/** Word/root pairs of tests/search/id_words.tsv. */
export function wordPairs() {
  return readFileSync(join(ROOT, "tests/search/id_words.tsv"), "utf8")
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => line.split("\t"));
}

/**
 * Material's assets/javascripts folder: MATERIAL_ASSETS, else the project's virtual environment.
 * Returns null when neither exists.
 */
export function materialAssets() {
  if (process.env.MATERIAL_ASSETS) return resolve(process.env.MATERIAL_ASSETS);
  const lib = join(ROOT, ".venv/lib");
  if (!existsSync(lib)) return null;
  for (const python of readdirSync(lib)) {
    const assets = join(lib, python, "site-packages/material/templates/assets/javascripts");
    if (existsSync(join(assets, "workers"))) return assets;
  }
  return null;
}

/**
 * Start Material's search worker in a vm context. `assets` is a folder laid out like
 * assets/javascripts of a built site (workers/, lunr/min/); `overrides` maps the worker's
 * importScripts URLs to other files (the plugin from overrides/ before a build).
 * Returns { setup(config, docs), search(query) } speaking the worker's message protocol.
 */
export function materialWorker(assets, overrides = {}, worker = null) {
  const workerFile = worker ||
    readdirSync(join(assets, "workers")).find((f) => /^search\..*\.min\.js$/.test(f));
  let handler = null;
  const replies = [];
  const context = { console, setTimeout, clearTimeout };
  context.self = context;
  context.addEventListener = (type, fn) => { if (type === "message") handler = fn; };
  // Structured clone, as postMessage does (and objects of this realm, for deepEqual).
  context.postMessage = (message) => replies.push(structuredClone(message));
  context.importScripts = (...urls) => {
    for (const url of urls) {
      // The worker asks for "../lunr/min/lunr.<lang>.min.js", relative to workers/.
      const file = overrides[url] || join(assets, "workers", url);
      vm.runInContext(readFileSync(file, "utf8"), context, { filename: url });
    }
  };
  vm.createContext(context);
  vm.runInContext(readFileSync(join(assets, "workers", workerFile), "utf8"), context, { filename: workerFile });

  async function send(type, data) {
    replies.length = 0;
    await handler({ data: { type, data } });
    for (let i = 0; i < 200 && !replies.length; i++) await new Promise((r) => setTimeout(r, 5));
    return replies[0];
  }
  return {
    // Message types: 0 setup, 1 ready, 2 query, 3 result (SearchMessageType in Material).
    setup: (config, docs) => send(0, { config, docs, options: { suggest: true } }),
    search: async (query) => (await send(2, query)).data,
  };
}

/**
 * The results a reader sees without unfolding anything, in order, as Material's template
 * (renderSearchResultItem, 9.8.2) shows them: per page, its first document sets the threshold;
 * the sections scoring at least that much are shown with their text, the others folded under
 * "N more on this page"; the page's own document shows its text only when it comes first and no
 * section is shown. Each: {location, title, text, missing: [words marked missing]}.
 */
export function visibleResults(items) {
  const shown = [];
  const entry = (doc) => ({
    location: doc.location, title: doc.title, text: doc.text,
    missing: Object.keys(doc.terms || {}).filter((term) => !doc.terms[term]),
  });
  for (const group of items) {
    const threshold = group[0].score;
    const docs = [...group];
    const parent = docs.findIndex((doc) => !doc.location.includes("#"));
    docs.splice(parent, 1);
    let index = docs.findIndex((doc) => doc.score < threshold);
    if (index === -1) index = docs.length;
    if (parent === 0 && index === 0) shown.push(entry(group[0]));
    for (const doc of docs.slice(0, index)) shown.push(entry(doc));
  }
  return shown;
}

/** The search config the site's Indonesian index must carry (see the integration notes). */
export const ID_CONFIG = {
  lang: ["id"],
  separator: "[\\s\\-]+",
  pipeline: ["trimmer", "stopWordFilter", "stemmer"],
  fields: { title: { boost: 1000 }, text: { boost: 1 }, tags: { boost: 1000000 } },
};
