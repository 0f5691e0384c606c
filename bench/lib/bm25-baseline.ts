/**
 * Plain Okapi BM25 (k1 = 1.2, b = 0.75) over the pooled resumes, the baseline of the quality
 * benchmark: lower-cased word tokens, common English stopwords removed, no stemming, no
 * synonyms, IDF from the pool itself, the whole job description as the query.
 */
const STOP = new Set(
  'a an and are as at be but by for from has have in into is it its of on or that the their this to was were will with you your we our they i me my he she his her'.split(
    ' ',
  ),
);

const tokens = (text: string) =>
  (text.toLowerCase().match(/[a-z0-9][a-z0-9+#]*/g) ?? []).filter((t) => !STOP.has(t));

export class Bm25 {
  private readonly docs: Map<string, number>[] = [];
  private readonly lengths: number[] = [];
  private readonly df = new Map<string, number>();
  private avgLength = 0;

  constructor(
    texts: string[],
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    for (const text of texts) {
      const tf = new Map<string, number>();
      const toks = tokens(text);
      for (const t of toks) tf.set(t, (tf.get(t) ?? 0) + 1);
      this.docs.push(tf);
      this.lengths.push(toks.length);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    }
    this.avgLength = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, texts.length);
  }

  /** BM25 score of every document for `query`, in document order. */
  scores(query: string): number[] {
    const n = this.docs.length;
    const q = tokens(query);
    return this.docs.map((tf, i) => {
      let score = 0;
      for (const term of q) {
        const f = tf.get(term);
        if (!f) continue;
        const df = this.df.get(term) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score +=
          (idf * f * (this.k1 + 1)) /
          (f + this.k1 * (1 - this.b + (this.b * this.lengths[i]!) / this.avgLength));
      }
      return score;
    });
  }
}
