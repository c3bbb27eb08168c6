#!/usr/bin/env node
// Links node_modules/peerlink (and node_modules/.bin/peerlink) to this checkout, so the examples (and the dynamic-provider process,
// which resolves `require("peerlink/...")` from the program directory) load the package by name,
// exactly as a user's program that installed it from the registry would.

const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "peerlink");
if (!fs.existsSync(path.join(root, "node_modules"))) process.exit(0);
try {
  const current = fs.readlinkSync(link);
  if (path.resolve(path.dirname(link), current) === root) {
    linkBin();
    process.exit(0);
  }
  fs.rmSync(link, { force: true });
} catch {
  // Not a link yet.
}
fs.symlinkSync("..", link, "dir");
linkBin();

// `npx peerlink` inside this checkout runs this checkout's CLI, as it would from an installed package.
function linkBin() {
  const binDir = path.join(root, "node_modules", ".bin");
  const bin = path.join(binDir, "peerlink");
  fs.mkdirSync(binDir, { recursive: true });
  fs.rmSync(bin, { force: true });
  fs.symlinkSync(path.join("..", "peerlink", "bin", "peerlink.js"), bin);
}
