import { rankingScores } from './ranking-metrics';

describe('ranking metrics on hand-computed lists', () => {
  // ranked [a=1, b=2, c=3, d=4, e=5], relevant {2, 4, 9}, k = 4
  const r = rankingScores([1, 2, 3, 4, 5], new Set([2, 4, 9]), 4);

  it('P@4 = hits / k = 2/4; Recall@4 = 2/3; hit = 1', () => {
    expect(r.precision).toBe(0.5);
    expect(r.recall).toBeCloseTo(2 / 3, 12);
    expect(r.hit).toBe(1);
  });

  it('NDCG@4 = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/log2 4)', () => {
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(5);
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(r.ndcg).toBeCloseTo(dcg / idcg, 12);
  });

  it('AP@4 = (1/2 + 2/4) / min(4, 3); MRR = 1/2', () => {
    expect(r.ap).toBeCloseTo((1 / 2 + 2 / 4) / 3, 12);
    expect(r.rr).toBe(0.5);
  });

  it('a perfect list scores 1 on every normalised metric; a miss scores 0', () => {
    const p = rankingScores([7, 8], new Set([7, 8]), 2);
    expect([p.precision, p.recall, p.ndcg, p.ap, p.rr, p.hit]).toEqual([1, 1, 1, 1, 1, 1]);
    const m = rankingScores([1, 2], new Set([3]), 2);
    expect([m.precision, m.recall, m.ndcg, m.ap, m.rr, m.hit]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('divides precision by k even when the list is shorter than k', () => {
    expect(rankingScores([7], new Set([7]), 10).precision).toBe(0.1);
  });
});
