import { z } from 'zod';

/** USD per one million tokens. `cachedInput` applies to prompt tokens served from the provider's prompt cache. */
export const ModelPrice = z.object({
  input: z.number().min(0),
  cachedInput: z.number().min(0),
  output: z.number().min(0),
});
export type ModelPrice = z.infer<typeof ModelPrice>;

/** Model name (or name prefix, e.g. `gpt-4o-mini` also prices `gpt-4o-mini-2024-07-18`) to price. */
export const PriceTable = z.record(z.string(), ModelPrice);
export type PriceTable = z.infer<typeof PriceTable>;

/** Published list prices (standard tier, per 1M tokens). Override with `LLM_PRICES`. */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
};

/** Token counts of one call (or a sum of calls). */
export interface TokenUsage {
  tokensIn: number;
  /** Part of `tokensIn` the provider served from its prompt cache. */
  cachedTokensIn: number;
  tokensOut: number;
}

/**
 * The price of `model`: an exact entry, else the longest entry that is a prefix of the name
 * (dated snapshots share their family's price), else null (unknown models cost 0 and are flagged).
 */
export function priceFor(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice | null {
  if (table[model]) return table[model];
  const prefix = Object.keys(table)
    .filter((name) => model.startsWith(name))
    .sort((a, b) => b.length - a.length)[0];
  return prefix ? table[prefix]! : null;
}

/** USD for `usage` at `price`; `discount` 0.5 for the Batch API. Rounded to 1e-8 USD. */
export function costUsd(usage: TokenUsage, price: ModelPrice | null, discount = 1): number {
  if (!price) return 0;
  const uncached = Math.max(0, usage.tokensIn - usage.cachedTokensIn);
  const usd =
    (uncached * price.input +
      usage.cachedTokensIn * price.cachedInput +
      usage.tokensOut * price.output) /
    1_000_000;
  return Math.round(usd * discount * 1e8) / 1e8;
}

/** Parses an `LLM_PRICES` JSON override and merges it over the defaults. */
export function parsePriceOverride(json: string | undefined): PriceTable {
  if (!json) return DEFAULT_PRICES;
  return { ...DEFAULT_PRICES, ...PriceTable.parse(JSON.parse(json)) };
}
