#!/usr/bin/env node
// Compares the entity documents of YAML trees, read with the js-yaml the
// Metabase validator uses (its core schema: timestamps stay text, so a
// re-spelled timestamp is a difference). Used by serdes_cli_test.sh.
//
//   node documents.cjs examples SPEC.md OUT_DIR
//       writes every whole-entity example of the spec (a YAML block with
//       serdes/meta) to OUT_DIR/collections/main/example_NN.yaml
//   node documents.cjs phantom ORIGINAL_DIR DUMPED_DIR
//       for every entity file of ORIGINAL_DIR, the file of DUMPED_DIR with
//       the same serdes/meta identity must have no key the original lacks
//       and spell every value as the original does. Prints one line per
//       file ("ok FILE" or "FAIL FILE: what") and exits 1 on any failure.
//
// js-yaml is resolved from @metabase/representations (METAPORT_REPRESENTATIONS_DIR,
// set by tests/run); exits 2 when it cannot be found.
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

function jsYaml() {
  const dir = process.env.METAPORT_REPRESENTATIONS_DIR;
  if (!dir) {
    console.error("METAPORT_REPRESENTATIONS_DIR is not set (tests/run sets it)");
    process.exit(2);
  }
  try {
    return createRequire(path.join(dir, "package.json"))("js-yaml");
  } catch (e) {
    console.error("cannot load js-yaml from " + dir + ": " + e.message);
    process.exit(2);
  }
}
const yaml = jsYaml();
const load = (text) => yaml.load(text, { schema: yaml.CORE_SCHEMA });

function yamlFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...yamlFiles(p));
    else if (e.name.endsWith(".yaml")) out.push(p);
  }
  return out;
}

function identity(doc) {
  const meta = doc && doc["serdes/meta"];
  if (!Array.isArray(meta) || meta.length === 0) return null;
  return meta.map((m) => `${m.model}:${m.id}`).join("/");
}

// Keys of `got` the original does not have, values spelled differently.
function compare(orig, got, where, problems) {
  if (orig !== null && typeof orig === "object" && got !== null && typeof got === "object") {
    if (Array.isArray(orig) !== Array.isArray(got)) {
      problems.push(`${where}: a ${Array.isArray(orig) ? "list" : "map"} became a ${Array.isArray(got) ? "list" : "map"}`);
      return;
    }
    if (Array.isArray(orig)) {
      if (orig.length !== got.length) problems.push(`${where}: ${orig.length} items became ${got.length}`);
      for (let i = 0; i < Math.min(orig.length, got.length); ++i) compare(orig[i], got[i], `${where}[${i}]`, problems);
      return;
    }
    for (const k of Object.keys(got))
      if (!(k in orig)) problems.push(`${where ? where + "." : ""}${k}: a key the file did not have`);
    for (const k of Object.keys(orig))
      if (k in got) compare(orig[k], got[k], `${where ? where + "." : ""}${k}`, problems);
      else problems.push(`${where ? where + "." : ""}${k}: dropped`);
    return;
  }
  if (JSON.stringify(orig) !== JSON.stringify(got))
    problems.push(`${where}: ${JSON.stringify(orig)} re-spelled ${JSON.stringify(got)}`);
}

const [cmd, a, b] = process.argv.slice(2);
if (cmd === "examples") {
  const spec = fs.readFileSync(a, "utf8");
  const dir = path.join(b, "collections", "main");
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  for (const m of spec.matchAll(/```yaml\n([\s\S]*?)```/g)) {
    let doc;
    try {
      doc = load(m[1]);
    } catch (e) {
      continue;  // several fragments in one block
    }
    if (!doc || typeof doc !== "object" || !doc["serdes/meta"] || Object.keys(doc).length < 2) continue;
    ++n;
    fs.writeFileSync(path.join(dir, `example_${String(n).padStart(2, "0")}.yaml`), m[1]);
  }
  console.log(`${n} examples`);
} else if (cmd === "phantom") {
  const dumped = new Map();
  for (const f of yamlFiles(b)) {
    const doc = load(fs.readFileSync(f, "utf8"));
    const id = identity(doc);
    if (id) dumped.set(id, doc);
  }
  let failed = 0;
  for (const f of yamlFiles(a)) {
    const orig = load(fs.readFileSync(f, "utf8"));
    const id = identity(orig);
    if (!id) continue;
    const rel = path.relative(a, f);
    const got = dumped.get(id);
    if (!got) {
      console.log(`FAIL ${rel}: not in the dump`);
      ++failed;
      continue;
    }
    const problems = [];
    compare(orig, got, "", problems);
    if (problems.length) {
      ++failed;
      console.log(`FAIL ${rel}: ${problems.join("; ")}`);
    } else {
      console.log(`ok ${rel}`);
    }
  }
  process.exit(failed ? 1 : 0);
} else {
  console.error("usage: documents.cjs examples SPEC.md OUT_DIR | phantom ORIGINAL_DIR DUMPED_DIR");
  process.exit(2);
}
