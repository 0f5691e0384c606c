#!/usr/bin/env node
// Builds apps/web when stale (`--force` always). Used by `npm start` and the browser tests.
import { fail } from './lib/log.mjs';
import { ensureWebBuild } from './lib/web.mjs';

try {
  ensureWebBuild({ force: process.argv.includes('--force') });
} catch (error) {
  fail(error.message);
}
