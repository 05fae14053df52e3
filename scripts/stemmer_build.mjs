#!/usr/bin/env node
// Minify the handbook's lunr plugins for Material for MkDocs' search worker. The worker loads one
// file per search language (lunr/min/lunr.<lang>.min.js), so each file is the shared
// lunr.keepstem.js followed by the language's plugin:
//   overrides/assets/javascripts/lunr/{lunr.keepstem.js, lunr.<lang>.js} -> .../lunr/min/lunr.<lang>.min.js
//
//   node scripts/stemmer_build.mjs           (npm run build:lunr) write the minified files
//   node scripts/stemmer_build.mjs --check   exit 1 when a committed minified file is stale
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { minify } from "terser";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const folder = join(root, "overrides/assets/javascripts/lunr");
export const LANGUAGES = ["id", "en_stem"];

export const target = (lang) => join(folder, "min", `lunr.${lang}.min.js`);

export async function build(lang = "id") {
  const files = ["lunr.keepstem.js", `lunr.${lang}.js`];
  const sources = Object.fromEntries(files.map((f) => [f, readFileSync(join(folder, f), "utf8")]));
  const result = await minify(sources, {
    ecma: 5,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: /^!/, ascii_only: true }, // keep the licence headers; plain ASCII
  });
  return result.code + "\n";
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let stale = false;
  for (const lang of LANGUAGES) {
    const code = await build(lang);
    const file = target(lang);
    if (process.argv.includes("--check")) {
      let current = "";
      try {
        current = readFileSync(file, "utf8");
      } catch {
        // missing counts as stale
      }
      if (current !== code) {
        console.error(`${file} is stale: run \`npm run build:lunr\``);
        stale = true;
      } else {
        console.log(`${file} is up to date (${code.length} bytes)`);
      }
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, code);
      console.log(`wrote ${file} (${code.length} bytes)`);
    }
  }
  if (stale) process.exit(1);
}
