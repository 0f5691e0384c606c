#!/usr/bin/env node
// `npm start`: everything a fresh machine needs, then the embedded stack.
import { fail, step } from './lib/log.mjs';
import { ensurePnpm, installDependencies, ROOT } from './lib/tools.mjs';
import { ensureWebBuild } from './lib/web.mjs';
import { spawn } from 'node:child_process';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19))
  fail(`Node.js 20.19 or newer is needed (this is ${process.version}).`);

try {
  const pnpm = ensurePnpm();
  installDependencies(pnpm);
  ensureWebBuild();
} catch (error) {
  fail(error.message);
}
step('starting the stack');
const child = spawn(process.execPath, ['scripts/serve.mjs'], { cwd: ROOT, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 1));
