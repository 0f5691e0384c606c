#!/usr/bin/env node
// Launcher for the `shortlist` command: registers the TypeScript loader, then runs src/main.ts.
// `pnpm shortlist ...` runs scripts from the repository root; go back to where the user typed it
// so relative paths (./resumes, --out results.csv) mean what they meant.
if (process.env.npm_lifecycle_event === 'shortlist' && process.env.INIT_CWD) {
  process.chdir(process.env.INIT_CWD);
}
await import('tsx');
await import('../src/main.ts');
