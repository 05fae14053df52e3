#!/usr/bin/env node
// Which Indonesian words of the handbook the search stemmer (lunr.id) cannot reduce to a root.
//
//   node scripts/stemmer_vocab.mjs [--all] [FILE_OR_FOLDER ...]     (default: docs/id)
//
// Prints, most frequent first, the words that look affixed (me-, di-, pe-..., -kan, -an, -nya...)
// but find no root, with the roots the rules tried: add the right one to ROOTS in
// overrides/assets/javascripts/lunr/lunr.id.js, then run `npm run build:lunr`.
// --all also lists words that are neither roots nor affixed-looking (often English terms: fine).
// Report only: it never fails, so new pages do not break a build.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const lunr = require("lunr");
require(join(root, "overrides/assets/javascripts/lunr/lunr.keepstem.js"))(lunr);
require(join(root, "overrides/assets/javascripts/lunr/lunr.id.js"))(lunr);

const args = process.argv.slice(2);
const showAll = args.includes("--all");
const targets = args.filter((a) => !a.startsWith("--"));
if (!targets.length) targets.push(join(root, "docs/id"));

function* files(path) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) yield* files(join(path, name));
  } else if (/\.(md|ya?ml|txt|html)$/.test(path)) {
    yield path;
  }
}

// Prose only: no fenced code, inline code, snippet includes, URLs, link targets, HTML tags.
function prose(text) {
  return text
    .replace(/^(\s*)(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\2[ \t]*$/gm, " ")
    .replace(/`[^`\n]*`/g, " ")
    .replace(/\]\([^)]*\)/g, "] ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/\{[^}\n]*\}/g, " ");
}

const counts = new Map();
for (const target of targets) {
  for (const file of files(resolve(target))) {
    for (const word of prose(readFileSync(file, "utf8")).toLowerCase().split(/[^a-z]+/)) {
      if (word.length >= 4) counts.set(word, (counts.get(word) || 0) + 1);
    }
  }
}

const affixed = /^(me|di|ke|se|be|te|pe)|(kan|an|i|nya|lah|kah|pun)$/;
const kinds = { stop: [], root: [], stemmed: [], unresolved: [], other: [] };
for (const [word, n] of counts) {
  const id = lunr.id;
  if (id.isStopWord(word)) kinds.stop.push([word, n]);
  else if (id.isRoot(word)) kinds.root.push([word, n]);
  else if (id.stem(word) !== word) kinds.stemmed.push([word, n]);
  else if (affixed.test(word)) kinds.unresolved.push([word, n]);
  else kinds.other.push([word, n]);
}
const total = (list) => list.reduce((sum, [, n]) => sum + n, 0);
const byCount = (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]);

console.log(`distinct words (4+ letters): ${counts.size}`);
for (const kind of Object.keys(kinds)) {
  console.log(`  ${kind.padEnd(10)} ${String(kinds[kind].length).padStart(5)} distinct, ${total(kinds[kind])} occurrences`);
}
console.log("\naffixed-looking words with no root (word, count: roots tried):");
for (const [word, n] of kinds.unresolved.sort(byCount)) {
  console.log(`  ${word} (${n}): ${lunr.id.candidates(word).join(" ")}`);
}
if (showAll) {
  console.log("\nneither root nor affixed-looking:");
  console.log("  " + kinds.other.sort(byCount).map(([w, n]) => `${w}(${n})`).join(" "));
}
