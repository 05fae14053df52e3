// Material for MkDocs' own search worker (from the project's virtual environment) with lunr.id:
// the query transform (a "*" on every term), highlighting and the "missing term" notes.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import { EN_MINIFIED, ID_CONFIG, MINIFIED, materialAssets, materialWorker } from "./helpers.mjs";

const assets = materialAssets();
const skip = assets ? false : "Material for MkDocs not found: run `make test-unit` (it sets up .venv) or set MATERIAL_ASSETS";

const DOCS = [
  { location: "duties/database-management.html", title: "Pengelolaan Basis Data", text: "<p>Back-end developer merancang skema dan menjaga pengelolaan basis data.</p>" },
  { location: "duties/database-management.html#backup", title: "Cadangan", text: "<p>Jadwalkan pencadangan harian dan uji pemulihannya.</p>" },
  { location: "duties/server-management.html", title: "Pengelolaan Server", text: "<p>Server dikelola dengan konfigurasi sebagai kode.</p>" },
  { location: "duties/testing-and-debugging.html", title: "Pengujian dan Debugging", text: "<p>Tim menguji setiap perubahan sebelum rilis.</p>" },
  { location: "skills/web-security.html", title: "Keamanan Web", text: "<p>Amankan kata sandi dengan <em>hash</em> yang lambat.</p>" },
  { location: "duties/monitoring-and-troubleshooting.html", title: "Pemantauan", text: "<p>Pemantauan dan pencatatan membantu Anda menemukan galat.</p>" },
];

describe("Material's search worker with lunr.id", { skip }, () => {
  let worker;
  before(async () => {
    worker = materialWorker(assets, { "../lunr/min/lunr.id.min.js": MINIFIED });
    assert.deepEqual(await worker.setup(ID_CONFIG, DOCS), { type: 1 }); // ready
  });

  const pages = async (query) => {
    const { items } = await worker.search(query);
    return items.map((group) => group[0].location.split("#")[0]).sort();
  };

  test("what a reader types finds every form of the word", async () => {
    const groups = {
      "duties/database-management.html,duties/server-management.html": ["kelola", "pengelolaan", "mengelola", "dikelola", "Pengelolaan"],
      "duties/database-management.html,duties/testing-and-debugging.html": ["uji", "pengujian", "menguji", "diuji"],
      "skills/web-security.html": ["aman", "keamanan", "mengamankan", "pengamanan"],
      "duties/monitoring-and-troubleshooting.html": ["pantau", "memantau", "catat", "pencatatan"],
      "duties/database-management.html": ["cadangan", "pencadangan", "pulih"],
    };
    for (const [expected, queries] of Object.entries(groups)) {
      for (const query of queries) assert.deepEqual(await pages(query), expected.split(","), query);
    }
  });

  test("a word still being typed and several words", async () => {
    assert.deepEqual(await pages("pengelo"), ["duties/database-management.html", "duties/server-management.html"]);
    assert.deepEqual(await pages("keamanan sandi"), ["skills/web-security.html"]);
    assert.deepEqual(await pages('"pengelolaan server"'), ["duties/server-management.html"]);
  });

  test("no term is marked missing when found through its root or when a stop word", async () => {
    const { items } = await worker.search("pengelolaan yang");
    const server = items.flat().find((item) => item.location === "duties/server-management.html");
    assert.deepEqual(server.terms, { pengelolaan: true, yang: true });
  });

  test("each match is highlighted once", async () => {
    const { items } = await worker.search("pengelolaan");
    const titles = items.flat().map((item) => item.title);
    assert.ok(titles.includes("<mark>Pengelolaan</mark> Basis Data"), titles.join(" | "));
    for (const item of items.flat()) assert.doesNotMatch(item.title + item.text, /<mark>[^<]*<mark>/);
    const text = items.flat().find((item) => item.location === "duties/server-management.html").text;
    assert.match(text, /<mark>dikelola<\/mark>/);
  });

  test("an English index in another worker loads lunr.en_stem, not lunr.id", async () => {
    const english = materialWorker(assets, {
      "../lunr/min/lunr.id.min.js": "/nonexistent",
      "../lunr/min/lunr.en_stem.min.js": EN_MINIFIED,
    });
    await english.setup({ ...ID_CONFIG, lang: ["en_stem"] }, [
      { location: "a.html", title: "Caching Layers", text: "<p>Put a cache in front of the database.</p>" },
      { location: "b.html", title: "Testing", text: "<p>Cached pages expire after a minute.</p>" },
      { location: "c.html", title: "Servers", text: "<p>Back up the databases.</p>" },
    ]);
    const found = async (query) => (await english.search(query)).items.map((group) => group[0].location).sort();
    assert.deepEqual(await found("caching"), ["a.html", "b.html"]);
    assert.deepEqual(await found("cached"), ["a.html", "b.html"]);
    assert.deepEqual(await found("databases"), ["a.html", "c.html"]);
    const { items } = await english.search("caching");
    assert.deepEqual(items.flat().find((item) => item.location === "b.html").terms, { caching: true });
  });
});
