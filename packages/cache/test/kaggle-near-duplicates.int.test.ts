import { deletePrefix, sharedDataDir, testRedis, uniquePrefix } from '@shortlist/testkit';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { evaluateNearDuplicates, readKaggleResumes } from './kaggle-eval';

const data = sharedDataDir();
const csv = data && join(data, 'kaggle-resumes', 'UpdatedResumeDataSet.csv');
const run = csv && existsSync(csv) ? describe : describe.skip;
if (!(csv && existsSync(csv)))
  process.stderr.write('skipping Kaggle near-duplicate test: shared data folder not found\n');

run('near-duplicate reuse on the real Kaggle resumes (962 rows, 166 distinct texts)', () => {
  const redis = testRedis();
  const prefix = uniquePrefix('kaggle');
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('reuses only for the same candidate and never across different candidates', async () => {
    const rows = readKaggleResumes(data!);
    expect(rows).toHaveLength(962);
    const result = await evaluateNearDuplicates(redis, prefix, rows);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

    // Exact copies are exact-key hits; distinct texts (distinct people) are never reused.
    expect(result.kaggle).toMatchObject({ uploads: 962, exactHits: 796, reused: 0, scored: 166 });
    expect(result.reusesAcrossCandidates).toBe(0);
    // The same body under another person's contact details is flagged and scored, never reused.
    expect(result.otherCandidateSameTemplate).toMatchObject({
      uploads: 166,
      reused: 0,
      scored: 166,
    });
    // Most are flagged as near-duplicates; on the shortest texts a new contact line alone moves
    // the similarity under the flag threshold.
    expect(result.otherCandidateSameTemplate.flagged).toBeGreaterThanOrEqual(150);
    // The same candidate re-sending a re-formatted file is answered from cache.
    expect(result.sameCandidateReformatted.reused).toBe(166);
    // A real edit by the same candidate is scored again unless the texts are still near-identical
    // (some Kaggle texts repeat whole sections, so cutting their end changes little).
    expect(result.sameCandidateEdited.scored).toBeGreaterThan(150);
    expect(result.minExactSimilarityOfReuse).toBeGreaterThanOrEqual(0.9);
  }, 300_000);
});
