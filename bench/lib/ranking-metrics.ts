/** Ranking metrics with binary relevance: `ranked` is relevance (true/false) in ranked order. */
export function ndcgAt(ranked: boolean[], k: number, totalRelevant: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i += 1)
    if (ranked[i]) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, totalRelevant); i += 1) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

export function precisionAt(ranked: boolean[], k: number): number {
  return ranked.slice(0, k).filter(Boolean).length / k;
}

/** Average precision over the whole ranking. */
export function averagePrecision(ranked: boolean[], totalRelevant: number): number {
  let hits = 0;
  let sum = 0;
  ranked.forEach((relevant, i) => {
    if (relevant) {
      hits += 1;
      sum += hits / (i + 1);
    }
  });
  return totalRelevant === 0 ? 0 : sum / totalRelevant;
}

/** Ranks ids by score (descending, id as tie-breaker so ties never favour the right answer). */
export function rankBy<T extends { id: string }>(items: T[], score: (item: T) => number): T[] {
  const scored = items.map((item) => ({ item, s: score(item) }));
  scored.sort((a, b) => b.s - a.s || (a.item.id < b.item.id ? -1 : 1));
  return scored.map((x) => x.item);
}
