#!/usr/bin/env node
// Search a built site the way its pages do: Material's worker, lunr files and search index all
// taken from the site folder. Used by test_search_site.py; handy by hand too:
//
//   node tests/search/search_site.mjs site id pengelolaan "kata sandi"
//
// Prints {"config": ..., "results": {query: [page, ...]}} as JSON (pages without #anchor,
// best first, each once).
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { materialWorker } from "./helpers.mjs";

const [siteArg, lang, ...queries] = process.argv.slice(2);
if (!siteArg || !lang) {
  console.error("usage: search_site.mjs SITE_DIR LANG QUERY...");
  process.exit(2);
}
const site = resolve(siteArg);
const root = lang === "id" ? site : join(site, lang); // Indonesian at /, others under /<lang>/
const index = JSON.parse(readFileSync(join(root, "search/search_index.json"), "utf8"));
const worker = materialWorker(join(site, "assets/javascripts"));
const ready = await worker.setup(index.config, index.docs);
if (ready?.type !== 1) throw new Error(`worker not ready: ${JSON.stringify(ready)}`);

const results = {};
for (const query of queries) {
  const { items } = await worker.search(query);
  results[query] = [...new Set(items.map((group) => group[0].location.split("#")[0]))];
}
console.log(JSON.stringify({ config: index.config, results }));
