// A lunr index built with the Indonesian pipeline answers the queries Material for MkDocs sends:
// every term with a trailing "*", for which lunr skips the search pipeline.
import assert from "node:assert/strict";
import { test } from "node:test";

import { buildIndex as buildSearchIndex, loadLunr } from "./helpers.mjs";

const lunr = loadLunr();

const DOCS = [
  { id: "db", title: "Pengelolaan Basis Data", body: "Back-end developer merancang skema dan menjaga pengelolaan basis data." },
  { id: "server", title: "Server", body: "Server dikelola dengan konfigurasi sebagai kode." },
  { id: "test", title: "Pengujian", body: "Pengujian otomatis memastikan kode tetap benar. Tim menguji setiap perubahan." },
  { id: "security", title: "Keamanan Aplikasi", body: "Keamanan dimulai dari autentikasi. Amankan kata sandi dengan hash." },
  { id: "ops", title: "Pemantauan", body: "Pemantauan dan pencatatan membantu Anda menemukan galat di produksi." },
  { id: "team", title: "Komunikasi", body: "Diskusikan rencana dengan tim secara terbuka." },
];

function buildIndex(plugin = lunr.id) {
  return buildSearchIndex(lunr, plugin, DOCS);
}

const index = buildIndex();
const refs = (query) => index.search(query).map((r) => r.ref);
const same = (a, b) => assert.deepEqual([...a].sort(), [...b].sort());

test("root, prefixed and suffixed forms with a trailing * find the same documents", () => {
  for (const query of ["kelola*", "pengelolaan*", "mengelola*", "dikelola*"]) same(refs(query), ["db", "server"]);
  for (const query of ["uji*", "pengujian*", "menguji*", "diuji*"]) same(refs(query), ["test"]);
  for (const query of ["aman*", "keamanan*", "mengamankan*", "pengamanan*"]) same(refs(query), ["security"]);
  for (const query of ["pantau*", "pemantauan*", "catat*", "mencatat*"]) same(refs(query), ["ops"]);
  same(refs("ubah*"), ["test"]); // "perubahan"
});

test("the typed form ranks above other forms of its root", () => {
  // db has "pengelolaan" twice (title and body), server only "dikelola".
  assert.deepEqual(refs("pengelolaan*"), ["db", "server"]);
  const score = (query, ref) => index.search(query).find((r) => r.ref === ref).score;
  assert.ok(score("dikelola*", "server") > score("kelola*", "server"));
});

test("a word still being typed is a prefix search", () => {
  same(refs("pengelo*"), ["db"]);
  same(refs("keam*"), ["security"]);
});

test("queries without wildcard, required and prohibited terms", () => {
  same(refs("pengelolaan"), ["db", "server"]);
  same(refs("+mengelola +kode"), ["server"]); // "dikelola" + "kode": the root satisfies +
  same(refs("+pengelolaan* +kode*"), ["server"]);
  same(refs("kelola* -server"), ["db"]);
  same(refs("keamanan* -mengamankan*"), []);
});

test("stop words are not indexed and do not break a query", () => {
  assert.equal(index.invertedIndex.yang, undefined);
  assert.equal(index.invertedIndex.dengan, undefined);
  same(refs("dengan*"), []);
  same(refs("pengujian* yang*"), ["test"]);
});

test("a match through the root carries the typed word and positions once each", () => {
  const [server] = index.search("pengelolaan*").filter((r) => r.ref === "server");
  const metadata = server.matchData.metadata;
  // Material marks a query word "missing" unless a matched term starts with it.
  assert.ok(Object.keys(metadata).some((term) => term.startsWith("pengelolaan")));
  // "dikelola" and its root "kelola" share one position: listed once.
  const positions = Object.values(metadata).flatMap((fields) => fields.body?.position ?? []);
  assert.equal(positions.length, new Set(positions.map(String)).size);
  assert.equal(positions.length, 1);
  // the index itself is left untouched by that clean-up
  assert.equal(index.invertedIndex.kelola.body.server.position.length, 1);
  assert.equal(index.invertedIndex.dikelola.body.server.position.length, 1);
});

test("an index built without lunr.id is not changed by the query hook", () => {
  const plain = buildIndex(null);
  same(plain.search("kelola*").map((r) => r.ref), []);
  same(plain.search("pengelolaan*").map((r) => r.ref), ["db"]);
  const [db] = plain.search("pengelolaan");
  assert.deepEqual(Object.keys(db.matchData.metadata), ["pengelolaan"]);
});

test("a serialised index keeps the Indonesian search pipeline", () => {
  const loaded = lunr.Index.load(JSON.parse(JSON.stringify(index)));
  same(loaded.search("kelola*").map((r) => r.ref), ["db", "server"]);
});
