/**
 * Near-duplicate reuse measured on the real Kaggle resumes (962 rows, 166 distinct texts) through
 * the same index and decision the worker uses. Prints the tallies as JSON and the time taken.
 *
 *   node --import tsx bench/similarity-kaggle.ts
 */
import { deletePrefix, sharedDataDir, testRedis, uniquePrefix } from '@shortlist/testkit';
import { evaluateNearDuplicates, readKaggleResumes } from '../packages/cache/test/kaggle-eval';

async function main() {
  const data = sharedDataDir();
  if (!data) throw new Error('shared data folder not found (set SHORTLIST_DATA_DIR)');
  const rows = readKaggleResumes(data);
  const redis = testRedis();
  const prefix = uniquePrefix('bench-sim');
  try {
    const started = performance.now();
    const result = await evaluateNearDuplicates(redis, prefix, rows);
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify({ ...result, seconds }, null, 2)}\n`);
  } finally {
    await deletePrefix(redis, prefix);
    await redis.quit();
  }
}

void main();
