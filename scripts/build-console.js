// Part of `npm run build`: type-checks the console's browser code (console/tsconfig.json: DOM, no Node),
// bundles it with esbuild into dist/console/app.js, and copies the page, its CSS and uPlot's CSS next to
// it. The control plane serves that folder at /console/; nothing is loaded from anywhere else.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "dist", "console");

execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "console", "tsconfig.json")], { stdio: "inherit" });
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
esbuild.buildSync({
  entryPoints: [path.join(root, "console", "src", "main.ts")],
  outfile: path.join(out, "app.js"),
  bundle: true,
  minify: true,
  sourcemap: "linked",
  format: "iife",
  platform: "browser",
  target: ["es2020"],
  legalComments: "linked",
  logLevel: "warning",
});
for (const [from, to] of [
  [path.join(root, "console", "index.html"), "index.html"],
  [path.join(root, "console", "console.css"), "console.css"],
  [require.resolve("uplot/dist/uPlot.min.css"), "uPlot.min.css"],
]) {
  fs.copyFileSync(from, path.join(out, to));
}
