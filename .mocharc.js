// Tests are compiled by `npm run build` and run from dist/, so stack traces map through source maps.
module.exports = {
  spec: process.env.PEERLINK_TEST_SPEC ? process.env.PEERLINK_TEST_SPEC.split(",") : ["dist/test/**/*.test.js"],
  timeout: 120000,
  slow: 5000,
  "enable-source-maps": true,
  exit: true,
};
