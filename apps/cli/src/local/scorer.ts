import { KeywordScorer, type Scorer } from '@shortlist/analysis';

/** Picks the scorer for a local run: the built-in local scorer (offline, deterministic). */
export function chooseScorer(): Scorer {
  return new KeywordScorer();
}
