import { costUsd, DEFAULT_PRICES, parsePriceOverride, priceFor } from './prices';

describe('prices', () => {
  it('prices dated snapshots like their family and unknown models as null', () => {
    expect(priceFor('gpt-4o-mini-2024-07-18')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(priceFor('gpt-4.1-mini')).toEqual(DEFAULT_PRICES['gpt-4.1-mini']);
    expect(priceFor('llama3.1:8b')).toBeNull();
  });

  it('computes USD from uncached, cached and output tokens, with the batch discount', () => {
    const price = { input: 0.15, cachedInput: 0.075, output: 0.6 };
    const usage = { tokensIn: 2_000, cachedTokensIn: 1_024, tokensOut: 300 };
    const usd = (976 * 0.15 + 1_024 * 0.075 + 300 * 0.6) / 1e6;
    expect(costUsd(usage, price)).toBeCloseTo(usd, 8);
    expect(costUsd(usage, price, 0.5)).toBeCloseTo(usd / 2, 8);
    expect(costUsd(usage, null)).toBe(0);
  });

  it('lets LLM_PRICES override and extend the table, rejecting malformed entries', () => {
    const table = parsePriceOverride(
      '{"llama3.1":{"input":0,"cachedInput":0,"output":0},"gpt-4o-mini":{"input":1,"cachedInput":1,"output":1}}',
    );
    expect(priceFor('llama3.1:8b', table)).toEqual({ input: 0, cachedInput: 0, output: 0 });
    expect(priceFor('gpt-4o-mini', table)?.input).toBe(1);
    expect(priceFor('gpt-4.1', table)).toEqual(DEFAULT_PRICES['gpt-4.1']);
    expect(() => parsePriceOverride('{"m":{"input":-1}}')).toThrow();
  });
});
