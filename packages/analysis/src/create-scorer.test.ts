import { EnvError, parseEnv } from '@shortlist/config';
import { createScorer, llmClientOf } from './create-scorer';
import { ScoringEnv } from './scoring-env';

describe('scoring environment and factory', () => {
  it('defaults to the local scorer: no key, no network', () => {
    const config = parseEnv(ScoringEnv, {});
    expect(config.SCORER).toBe('local');
    const scorer = createScorer(config);
    expect(scorer.model).toMatch(/^local/);
    expect(llmClientOf(scorer)).toBeNull();
  });

  it('builds the LLM scorer from the environment', () => {
    const config = parseEnv(ScoringEnv, {
      SCORER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      LLM_MODEL: 'llama3.1:8b',
      LLM_RPM: '500',
      LLM_CONSENSUS: '3',
    });
    const scorer = createScorer(config);
    expect(scorer.model).toBe('llama3.1:8b');
    expect(llmClientOf(scorer)).not.toBeNull();
  });

  it('lets the caller wrap the rate limiter the client waits in', () => {
    const config = parseEnv(ScoringEnv, {
      SCORER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      LLM_RPM: '500',
    });
    const wrapped: unknown[] = [];
    createScorer(config, {
      wrapLimiter: (limiter) => {
        wrapped.push(limiter);
        return limiter;
      },
    });
    expect(wrapped).toHaveLength(1);
  });

  it('names the variable when the OpenAI API is chosen without a key', () => {
    const config = parseEnv(ScoringEnv, { SCORER: 'openai' });
    expect(() => createScorer(config)).toThrow(EnvError);
    expect(() => createScorer(config)).toThrow(/OPENAI_API_KEY/);
  });

  it('rejects malformed values naming the variable', () => {
    expect(() => parseEnv(ScoringEnv, { SCORER: 'gpt' })).toThrow(/SCORER/);
    expect(() => parseEnv(ScoringEnv, { LLM_PRICES: '{"m":{"input":"cheap"}}' })).toThrow(
      /LLM_PRICES/,
    );
    expect(() => parseEnv(ScoringEnv, { LLM_CONSENSUS: '0' })).toThrow(/LLM_CONSENSUS/);
    expect(() => parseEnv(ScoringEnv, { OPENAI_BASE_URL: 'ftp://x' })).toThrow(/OPENAI_BASE_URL/);
  });
});
