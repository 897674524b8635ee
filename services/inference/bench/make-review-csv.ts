/**
 * Writes a synthetic Chinese review CSV shaped like the public review corpora (waimai_10k,
 * online_shopping_10_cats): header `label,review`, label first, 0/1 labels sorted (all 1s, then all 0s),
 * reviews with commas, double quotes and line breaks (RFC 4180 quoting). Seeded; no external data.
 * It measures training time and memory of `train:model` at that size, not accuracy.
 *
 *   node -r @swc-node/register services/inference/bench/make-review-csv.ts /tmp/reviews-60k.csv 60000
 */
import { createWriteStream } from 'node:fs';
import { mulberry32 } from '@livepromo/ml';

const POS = ['质量很好', '物流很快', '包装精美', '味道不错', '性价比高', '客服态度好', '送货准时', '分量足', '非常满意', '会再来买', '和描述一致', '做工精细'];
const NEG = ['质量太差', '物流很慢', '包装破损', '味道一般', '价格偏贵', '客服不理人', '送餐超时', '分量太少', '非常失望', '不会再买', '和描述不符', '做工粗糙'];
const NEUTRAL = ['这次', '买了', '外卖', '手机', '衣服', '水果', '给家人', '周末', '第二次', '朋友推荐的', '店家', '总体来说'];
const SEP = ['，', ',', '。', '！', ' ', '~', '\n'];

function review(rand: () => number, positive: boolean): string {
  const own = positive ? POS : NEG;
  const other = positive ? NEG : POS;
  const parts: string[] = [];
  const n = 3 + Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) {
    const r = rand();
    // mostly the row's own polarity, some neutral filler, some of the other polarity (mixed reviews)
    const pool = r < 0.6 ? own : r < 0.85 ? NEUTRAL : other;
    let p = pool[Math.floor(rand() * pool.length)];
    if (rand() < 0.1) p = `"${p}"`;
    parts.push(p, SEP[Math.floor(rand() * SEP.length)]);
  }
  return parts.join('');
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function main(): void {
  const [out, nArg, seedArg] = process.argv.slice(2);
  if (!out) {
    process.stderr.write('usage: make-review-csv.ts OUT.csv [ROWS=60000] [SEED=1]\n');
    process.exit(2);
  }
  const n = Number(nArg ?? 60000);
  const rand = mulberry32(Number(seedArg ?? 1));
  const positives = Math.round(n * 0.5);
  const w = createWriteStream(out);
  w.write('label,review\n');
  for (let i = 0; i < n; i++) {
    const positive = i < positives;
    w.write(`${positive ? 1 : 0},${csvField(review(rand, positive))}\n`);
  }
  w.end(() => process.stdout.write(`wrote ${n} rows to ${out}\n`));
}

main();
