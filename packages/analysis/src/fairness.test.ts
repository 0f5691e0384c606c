import { DEFAULT_THRESHOLDS } from '@shortlist/contracts';
import { KeywordScorer } from './local-scorer';

const job = {
  title: 'Registered Nurse',
  description:
    'Registered Nurse for a medical-surgical unit. Patient care, medication administration, EHR documentation. BLS required.',
  criteria: [],
  thresholds: DEFAULT_THRESHOLDS,
};

const resume = (name: string, pronoun: 'He' | 'She' | 'They') => `${name}
Registered Nurse
${pronoun} has 6 years of experience in patient care on a medical-surgical unit.
Administered medications and documented care in Epic EHR. BLS and ACLS certified.
BSN, 2016.`;

/** Names associated with different genders and ethnic groups (as in résumé audit studies). */
const NAMES = [
  'Emily Walsh',
  'Greg Baker',
  'Lakisha Washington',
  'Jamal Jones',
  'Wei Zhang',
  'Priya Patel',
  'José Hernández',
  'Fatima Al-Sayed',
  'Nkechi Okonkwo',
  'Dmitri Volkov',
];

describe('name-swap fairness of the local scorer', () => {
  it('gives the identical score and verdicts whatever the name and pronoun', async () => {
    const scorer = new KeywordScorer();
    const results = await Promise.all(
      NAMES.flatMap((name) =>
        (['He', 'She', 'They'] as const).map((pronoun) =>
          scorer.analyse({ text: resume(name, pronoun), job, profile: { name } }),
        ),
      ),
    );
    const first = results[0]!;
    expect(first.score).toBeGreaterThan(0);
    for (const r of results) {
      expect(r.score).toBe(first.score);
      expect(r.tier).toBe(first.tier);
      expect(r.criteria.map((c) => c.met)).toEqual(first.criteria.map((c) => c.met));
    }
  });

  it('ignores a surname that happens to be a job word (Nurse, Baker) once extraction names it', async () => {
    const scorer = new KeywordScorer();
    const plain = await scorer.analyse({
      text: resume('Ann Smith', 'She'),
      job,
      profile: { name: 'Ann Smith' },
    });
    const named = await scorer.analyse({
      text: resume('Ann Nurse', 'She'),
      job,
      profile: { name: 'Ann Nurse' },
    });
    expect(named.score).toBe(plain.score);
  });
});
