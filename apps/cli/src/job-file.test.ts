import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '@shortlist/testkit';
import { loadJob, parseCriteria } from './job-file';

describe('criteria flags', () => {
  it('read name, weight and required marker', () => {
    expect(parseCriteria(['TypeScript:3!', 'PostgreSQL, Redis:2'])).toEqual([
      { name: 'TypeScript', weight: 3, required: true },
      { name: 'PostgreSQL', weight: 1, required: false },
      { name: 'Redis', weight: 2, required: false },
    ]);
    expect(() => parseCriteria(['Go:11'])).toThrow(/0-10/);
  });
});

describe('job file', () => {
  it('takes the title from the first line of a text file and the whole text as description', async () => {
    const dir = await tempDir('job-file');
    try {
      const file = join(dir.path, 'job.txt');
      await writeFile(
        file,
        '# Senior Accountant\n\nWe need a CPA with GAAP and month-end close experience.\n',
      );
      const job = await loadJob(file);
      expect(job.title).toBe('Senior Accountant');
      expect(job.description).toContain('month-end close');
      await writeFile(join(dir.path, 'short.txt'), 'Too short');
      await expect(loadJob(join(dir.path, 'short.txt'))).rejects.toThrow(/description/);
      await expect(loadJob(join(dir.path, 'missing.txt'))).rejects.toThrow(/Cannot read/);
    } finally {
      await dir.remove();
    }
  });
});
