// English search (lunr.en_stem): lunr's Porter stemmer and stop words, each word indexed beside its
// stem, each query term extended with its stem, so that the queries Material for MkDocs sends
// (a "*" on every term, which makes lunr skip the search pipeline) meet every form of a word.
import assert from "node:assert/strict";
import { test } from "node:test";

import { EN_MINIFIED, buildIndex as buildSearchIndex, loadLunr } from "./helpers.mjs";

const lunr = loadLunr(EN_MINIFIED);
const { stem } = lunr.en_stem;

const DOCS = [
  { id: "caching", title: "Caching Layers", body: "Put a cache in front of the database; cached pages expire after a minute." },
  { id: "perf", title: "Performance Optimization", body: "Measure first, then optimise the slowest queries." },
  { id: "tests", title: "Testing and Debugging", body: "Automated tests run on every change; a debugger shows the state." },
  { id: "deploy", title: "Servers", body: "Deployments are automated and a deployed release can be rolled back." },
];

function buildIndex(plugin = lunr.en_stem) {
  return buildSearchIndex(lunr, plugin, DOCS);
}

const index = buildIndex();
const refs = (query) => index.search(query).map((r) => r.ref).sort();

test("lunr's English stemmer brings the forms of a word to one stem", () => {
  for (const group of [["cache", "caching", "cached", "caches"], ["test", "tests", "testing", "tested"],
    ["deploy", "deployed", "deploying", "deployment", "deployments"], ["optimize", "optimization", "optimizing"]]) {
    assert.equal(new Set(group.map(stem)).size, 1, group.join(" "));
  }
  assert.equal(stem("caching"), "cach"); // codespell:ignore
});

test("every form, typed with Material's trailing *, finds the page", () => {
  for (const query of ["cache*", "caching*", "cached*", "caches*"]) assert.deepEqual(refs(query), ["caching"], query);
  for (const query of ["test*", "testing*", "tested*"]) assert.deepEqual(refs(query), ["tests"], query);
  for (const query of ["deploy*", "deploying*", "deployed*"]) assert.deepEqual(refs(query), ["deploy"], query);
});

test("the typed word still works as a prefix, and stop words are not indexed", () => {
  assert.deepEqual(refs("optim*"), ["perf"]);
  assert.deepEqual(refs("measur*"), ["perf"]);
  assert.deepEqual(refs("the"), []);
  assert.ok(lunr.en_stem.isStopWord("the"));
  assert.ok(!lunr.en_stem.isStopWord("cache"));
});

test("without the plugin's query hook (plain stemmer), caching* would find nothing: the trap", () => {
  const plain = lunr(function () {
    this.ref("id");
    this.field("body");
    for (const doc of DOCS) this.add(doc);
  });
  assert.deepEqual(plain.search("caching*").map((r) => r.ref), []);
  assert.deepEqual(refs("caching*"), ["caching"]);
});
