#!/usr/bin/env node
// Minify the Indonesian lunr plugin for Material for MkDocs' search worker:
//   overrides/assets/javascripts/lunr/lunr.id.js -> overrides/assets/javascripts/lunr/min/lunr.id.min.js
//
//   node scripts/stemmer_build.mjs           (npm run build:lunr-id) write the minified file
//   node scripts/stemmer_build.mjs --check   exit 1 when the committed minified file is stale
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { minify } from "terser";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "overrides/assets/javascripts/lunr/lunr.id.js");
const target = join(root, "overrides/assets/javascripts/lunr/min/lunr.id.min.js");

export async function build() {
  const result = await minify(readFileSync(source, "utf8"), {
    ecma: 5,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: /^!/, ascii_only: true }, // keep the licence header; plain ASCII
  });
  return result.code + "\n";
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await build();
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // missing counts as stale
    }
    if (current !== code) {
      console.error(`${target} is stale: run \`npm run build:lunr-id\``);
      process.exit(1);
    }
    console.log(`${target} is up to date (${code.length} bytes)`);
  } else {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
    console.log(`wrote ${target} (${code.length} bytes)`);
  }
}
