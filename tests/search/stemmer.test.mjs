// The Indonesian stemmer and stop-word filter of lunr.id (overrides/assets/javascripts/lunr/).
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { join } from "node:path";

import { ROOT, SOURCE, loadLunr, wordPairs } from "./helpers.mjs";

const lunr = loadLunr();
const { stem } = lunr.id;

test("stems the word list of id_words.tsv to its roots (>= 95 %)", () => {
  const pairs = wordPairs();
  assert.ok(pairs.length >= 100, `only ${pairs.length} words in id_words.tsv`);
  const misses = pairs.filter(([word, root]) => stem(word) !== root);
  const hits = pairs.length - misses.length;
  console.log(`accuracy: ${hits}/${pairs.length}`);
  for (const [word, root] of misses) console.log(`  miss: ${word} -> ${stem(word)} (expected ${root})`);
  assert.ok(hits / pairs.length >= 0.95, `accuracy ${hits}/${pairs.length} is below 95 %`);
});

test("affixed and root forms of the issue meet on one root", () => {
  const groups = [
    ["kelola", "mengelola", "pengelolaan", "dikelola", "terkelola"],
    ["uji", "pengujian", "menguji", "diuji"],
    ["aman", "keamanan", "mengamankan", "pengamanan"],
    ["simpan", "penyimpanan", "menyimpan"],
    ["kembang", "pengembangan", "mengembangkan"],
    ["ubah", "perubahan"],
    ["atur", "pengaturan"],
    ["pantau", "pemantauan"],
    ["catat", "pencatatan"],
    ["kirim", "pengiriman"],
  ];
  for (const [root, ...forms] of groups) {
    for (const form of [root, ...forms]) assert.equal(stem(form), root, form);
  }
});

test("inflectional suffixes, reduplication and the ECS confix rules", () => {
  const cases = {
    datanya: "data", bacalah: "baca", perlukah: "perlu", keamanannya: "aman",
    "tabel-tabel": "tabel", "permintaan-permintaan": "minta",
    memperbaiki: "baik", diperbarui: "baru", ketergantungan: "gantung",
    pembentukan: "bentuk", pendidikan: "didik", // -kan that is -k + -an
    berbagi: "bagi", // be-...-i is no confix: the -i stays
    bekerja: "kerja", belajar: "ajar", pelajaran: "ajar", pemrograman: "program",
  };
  for (const [word, root] of Object.entries(cases)) assert.equal(stem(word), root, word);
});

test("a word whose root is unknown, or a stop word, stays whole (no wrong cut)", () => {
  for (const word of ["deployment", "testing", "serverless", "pelangi", "http2", "404",
    "mkdocs", "kubernetes", "men", "di", "kemudian", "tetapi", "mereka"]) {
    assert.equal(stem(word), word, word);
  }
});

test("the stemmer keeps the word and adds its root at the same position", () => {
  const token = new lunr.Token("pengelolaan", { position: [0, 11], index: 0 });
  const out = lunr.id.stemmer(token);
  assert.deepEqual(Array.from(out, String), ["pengelolaan", "kelola"]); // an array of the plugin's realm
  assert.deepEqual(out[1].metadata, token.metadata);
  const root = new lunr.Token("kelola", {});
  assert.equal(lunr.id.stemmer(root), root);
});

test("stop-word filter drops function words and keeps content words", () => {
  const filter = lunr.id.stopWordFilter;
  for (const word of ["yang", "dan", "di", "ke", "dari", "untuk", "dengan", "adalah", "anda",
    "ini", "itu", "tidak", "akan", "juga", "atau", "pada", "dalam", "oleh", "nya"]) {
    assert.equal(filter(new lunr.Token(word, {})), undefined, `${word} should be dropped`);
  }
  for (const word of ["data", "cara", "masalah", "awal", "akhir", "baru", "server", "kunci",
    "kelola", "aman", "jalan"]) {
    assert.equal(String(filter(new lunr.Token(word, {}))), word, `${word} should stay`);
  }
});

test("trimmer strips punctuation and keeps letters and digits", () => {
  const trim = (s) => String(lunr.id.trimmer(new lunr.Token(s, {})));
  assert.equal(trim("(pengelolaan),"), "pengelolaan");
  assert.equal(trim("«kueri»"), "kueri");
  assert.equal(trim("404."), "404");
  assert.equal(trim("café"), "café");
});

test("the root list is sorted, unique, lower case and holds the roots of the word list", () => {
  const source = readFileSync(SOURCE, "utf8");
  const block = source.slice(source.indexOf("var ROOTS = ["), source.indexOf("].join(' ')", source.indexOf("var ROOTS = [")));
  const roots = [...block.matchAll(/'([^']*)'/g)].flatMap((m) => m[1].split(" "));
  assert.ok(roots.length > 1000, `${roots.length} roots`);
  assert.deepEqual(roots, [...new Set(roots)].sort(), "ROOTS must be sorted and unique");
  for (const root of roots) assert.match(root, /^[a-z]+$/);
  for (const [, root] of wordPairs()) assert.ok(lunr.id.isRoot(root), `${root} is not in ROOTS`);
});

test("the minified plugins are built from the sources and stay small", async () => {
  const { LANGUAGES, build, target } = await import(pathToFileURL(join(ROOT, "scripts/stemmer_build.mjs")));
  const budgets = { id: 60 * 1024, en_stem: 8 * 1024 };
  assert.deepEqual(LANGUAGES, Object.keys(budgets));
  for (const lang of LANGUAGES) {
    const file = target(lang);
    assert.equal(readFileSync(file, "utf8"), await build(lang),
      `lunr.${lang}.min.js is stale: run \`npm run build:lunr\``);
    const size = statSync(file).size;
    console.log(`lunr.${lang}.min.js: ${size} bytes`);
    assert.ok(size < budgets[lang], `lunr.${lang}.min.js is ${size} bytes (budget ${budgets[lang]} bytes)`);
  }
});
