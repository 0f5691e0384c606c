import { ScoringEnv } from '@shortlist/analysis';
import { parseEnv } from '@shortlist/config';
import { localCompanyExtractor, localPersonaliser } from '@shortlist/mail';
import type { Redis } from '@shortlist/queue';
import { mailHelpers } from './mail-llm';

const redis = {} as Redis;

describe('mailHelpers', () => {
  it('uses the built-in personaliser with the local scorer', () => {
    const helpers = mailHelpers(parseEnv(ScoringEnv, {}), { redis, prefix: 'p' });
    expect(helpers.personaliser).toBe(localPersonaliser);
    expect(helpers.companyExtractor).toBe(localCompanyExtractor);
    const off = mailHelpers(
      { ...parseEnv(ScoringEnv, {}), COMPANY_INFO_FROM_JOB: false },
      { redis, prefix: 'p' },
    );
    expect(off.companyExtractor).toBeNull();
  });

  it('writes notes with the configured model when SCORER=openai', () => {
    const helpers = mailHelpers(
      parseEnv(ScoringEnv, {
        SCORER: 'openai',
        OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
        LLM_MODEL: 'llama3.1:8b',
      }),
      { redis, prefix: 'p' },
    );
    expect(helpers.personaliser.id).toBe('llm:llama3.1:8b:n1');
    expect(helpers.companyExtractor?.id).toBe('llm:llama3.1:8b:c1');
  });
});
