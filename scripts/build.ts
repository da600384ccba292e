// `npm run build`: the gateway as the image runs it, `dist/cli/main.js` and the chunks it loads.
//
// One bundle of the source and its dependencies, not a module per file: a Node process keeps the
// source text of every function it loads for its whole life, and the files as published (comments,
// indentation) were over a quarter of an idle worker's heap. Whitespace goes, names stay, so stack
// traces still name functions; `node --enable-source-maps` maps them to the TypeScript source.
import { rmSync } from "node:fs";
import { build } from "esbuild";
import { packagePath, packageRoot } from "../src/runtime/package-root.js";

const outdir = packagePath("dist");

// Where the bundle must leave a package to Node: native addons (found by path from their own
// folder) and a driver pg loads only when asked.
const external = ["better-sqlite3", "msgpackr-extract", "pg-native"];

// Bundled CommonJS modules call `require` for Node's built-ins and read `__dirname`; an ES module
// has neither, so each output file defines them for the code inside it.
const commonJsGlobals = [
  'import { createRequire as bundleCreateRequire } from "node:module";',
  'import { dirname as bundleDirname } from "node:path";',
  'import { fileURLToPath as bundleFileURLToPath } from "node:url";',
  "const require = bundleCreateRequire(import.meta.url);",
  "const __filename = bundleFileURLToPath(import.meta.url);",
  "const __dirname = bundleDirname(__filename);",
].join(" ");

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: packageRoot,
  entryPoints: ["src/cli/main.ts"],
  outbase: "src",
  outdir,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  banner: { js: commonJsGlobals },
  minifyWhitespace: true,
  minifySyntax: true,
  // Short lines: Node prints the line of an uncaught error's first frame, and a bundle's
  // whole-chunk line would fill a log.
  lineLimit: 160,
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
});
