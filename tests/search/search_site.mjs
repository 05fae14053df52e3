#!/usr/bin/env node
// Search a built site the way its pages do: Material's worker, lunr files and search index all
// taken from the site folder. Used by test_search_site.py; handy by hand too:
//
//   node tests/search/search_site.mjs site id pengelolaan "kata sandi"
//
// The site's own worker runs: handbook-search.js (handbook/search-lazy), which loads Material's.
// Prints {"config": ..., "results": {query: [page, ...]}, "visible": {query: [result, ...]}} as
// JSON: the pages found (without #anchor, best first, each once), and the results a reader sees
// without unfolding anything (visibleResults in helpers.mjs: location, title, text, missing).
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { existsSync } from "node:fs";

import { materialWorker, visibleResults } from "./helpers.mjs";

const [siteArg, lang, ...queries] = process.argv.slice(2);
if (!siteArg || !lang) {
  console.error("usage: search_site.mjs SITE_DIR LANG QUERY...");
  process.exit(2);
}
const site = resolve(siteArg);
const root = lang === "id" ? site : join(site, lang); // Indonesian at /, others under /<lang>/
const index = JSON.parse(readFileSync(join(root, "search/search_index.json"), "utf8"));
const assets = join(site, "assets/javascripts");
const ours = existsSync(join(assets, "workers/handbook-search.js")) ? "handbook-search.js" : null;
const worker = materialWorker(assets, {}, ours);
const ready = await worker.setup(index.config, index.docs);
if (ready?.type !== 1) throw new Error(`worker not ready: ${JSON.stringify(ready)}`);

const results = {};
const visible = {};
for (const query of queries) {
  const { items } = await worker.search(query);
  results[query] = [...new Set(items.map((group) => group[0].location.split("#")[0]))];
  visible[query] = visibleResults(items);
}
console.log(JSON.stringify({ config: index.config, results, visible }));
