#!/usr/bin/env node
// Reads YAML texts with the js-yaml that the Metabase validator uses and
// compares each with the JSON the C++ side expects (json::write of the same
// Value). Run by format_test (JsYaml.*); exits 2 when js-yaml cannot be found,
// so a missing validator install fails the test instead of skipping it.
//
//   node js_yaml_check.cjs CASES.json
//
// CASES.json: [{"name": ..., "yaml": ..., "json": ...}, ...]. The C++ side
// writes non-finite doubles (which JSON cannot carry) as {"$nonfinite": "inf"
// | "-inf" | "nan"}; the same rewrite is applied to what js-yaml returns.
// Prints one JSON object: {"js_yaml": path, "version": v, "checked": n,
// "failures": [{"name", "yaml", "expected", "actual"|"error"}]}.
"use strict";
const fs = require("fs");
const path = require("path");
const { createRequire } = require("module");

// The validator's own copy of js-yaml: resolved from @metabase/representations,
// exactly as its validate-schema.js does `import yaml from "js-yaml"`.
function representationsDir() {
  const env = process.env.METAPORT_REPRESENTATIONS_DIR;
  if (env) return env;
  const candidates = [];
  if (process.env.METAPORT_VALIDATOR) {
    // .../node_modules/.bin/representations -> .../@metabase/representations/dist/bin/cli.js
    try {
      let dir = path.dirname(fs.realpathSync(process.env.METAPORT_VALIDATOR));
      for (let i = 0; i < 5 && dir !== path.dirname(dir); ++i, dir = path.dirname(dir)) candidates.push(dir);
    } catch (e) { /* reported below */ }
  }
  // A checkout (plain g++ runs from the workspace; Bazel runs from runfiles,
  // whose tests/format/ is a symlink farm into the workspace).
  const here = fs.realpathSync(__dirname);
  candidates.push(path.join(here, "..", "validator", "node_modules", "@metabase", "representations"));
  for (const c of candidates) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(c, "package.json"), "utf8"));
      if (pkg.name === "@metabase/representations") return c;
    } catch (e) { /* next */ }
  }
  return null;
}

function fail_setup(msg) {
  process.stderr.write("js_yaml_check: " + msg + "\n");
  process.exit(2);
}

const repDir = representationsDir();
if (!repDir) {
  fail_setup("@metabase/representations not found (set METAPORT_VALIDATOR or METAPORT_REPRESENTATIONS_DIR; tests/run installs it with npm ci)");
}
let yaml, yamlPath;
try {
  const req = createRequire(path.join(repDir, "package.json"));
  yamlPath = req.resolve("js-yaml");
  yaml = req("js-yaml");
} catch (e) {
  fail_setup("js-yaml is not resolvable from " + repDir + ": " + e.message);
}
let version = "?";
try {
  let dir = path.dirname(yamlPath);
  while (!fs.existsSync(path.join(dir, "package.json"))) dir = path.dirname(dir);
  version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
} catch (e) { /* informational only */ }

// Non-finite numbers and anything that is not plain JSON data get a form the
// comparison can see (a Date would mean js-yaml read a timestamp).
function normalize(v) {
  if (typeof v === "number" && !Number.isFinite(v)) {
    return { $nonfinite: Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf" };
  }
  if (v instanceof Date) return { $date: v.toISOString() };
  if (Buffer.isBuffer(v)) return { $binary: v.toString("base64") };
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v)) {
      Object.defineProperty(o, k, { value: normalize(v[k]), enumerable: true, writable: true, configurable: true });
    }
    return o;
  }
  return v;
}

// Strict: numbers by Object.is (so -0 differs from 0), objects as key sets.
function same(a, b) {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b);
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
}

const file = process.argv[2];
if (!file) fail_setup("usage: js_yaml_check.cjs CASES.json");
const cases = JSON.parse(fs.readFileSync(file, "utf8"));
const failures = [];
for (const c of cases) {
  const expected = JSON.parse(c.json);
  let actual;
  try {
    // Exactly the validator's call: yaml.load(text), default schema.
    actual = normalize(yaml.load(c.yaml));
  } catch (e) {
    failures.push({ name: c.name, yaml: c.yaml, expected, error: String(e.message || e) });
    continue;
  }
  if (!same(actual, expected)) failures.push({ name: c.name, yaml: c.yaml, expected, actual });
}
process.stdout.write(JSON.stringify({ js_yaml: yamlPath, version, checked: cases.length, failures }) + "\n");
process.exit(failures.length ? 1 : 0);
