import { parseHybridWeights, recommenderConfigSchema } from './recommendation.config';

describe('recommender config', () => {
  it('parses hybrid weights and keeps defaults for unnamed components', () => {
    const w = parseHybridWeights('content=0.5, cf=0.5');
    expect(w.content).toBe(0.5);
    expect(w.cf).toBe(0.5);
    expect(w.repeat).toBeGreaterThan(0);
  });

  it('refuses an unknown component or a negative weight, naming it', () => {
    expect(() => parseHybridWeights('magic=1')).toThrow(/unknown component "magic"/);
    expect(() => parseHybridWeights('cf=-1')).toThrow(/weight of cf/);
    expect(recommenderConfigSchema.safeParse({ HYBRID_WEIGHTS: 'cf=x' }).success).toBe(false);
  });

  it('has working defaults', () => {
    const c = recommenderConfigSchema.parse({});
    expect(c.ALS_SOLVER).toBe('cg');
    expect(c.RETRAIN_INTERVAL_MS).toBe(300000);
  });
});
