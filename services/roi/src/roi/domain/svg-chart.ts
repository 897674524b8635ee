/** Minimal, dependency-free SVG bar charts (pure; text escaped). */
export interface Bar {
  label: string;
  value: number | null;
  /** Text above the bar (default: the value). */
  note?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number) => (Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 100) / 100));

/**
 * Vertical bars scaled to the largest |value| (null values leave a gap marked "n/a"), an optional
 * dashed reference line (e.g. break-even ROI = 1), a title and a footnote saying how the values were computed.
 */
export function barChartSvg(
  title: string,
  bars: readonly Bar[],
  opts: { referenceLine?: { value: number; label: string }; footnote?: string } = {},
): string {
  const width = Math.max(480, 60 + bars.length * 56);
  const height = 320;
  const top = 48;
  const bottom = 250;
  const left = 40;
  const values = bars.map((b) => b.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const max = Math.max(1e-9, ...values.map(Math.abs), opts.referenceLine ? Math.abs(opts.referenceLine.value) : 0);
  const y = (v: number) => bottom - (Math.max(0, v) / max) * (bottom - top);
  const slot = (width - left - 20) / Math.max(1, bars.length);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${left}" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${width - 20}" y2="${bottom}" stroke="#333"/>`,
  ];
  bars.forEach((b, i) => {
    const x = left + i * slot + slot * 0.15;
    const w = slot * 0.7;
    const cx = x + w / 2;
    if (b.value === null || !Number.isFinite(b.value)) {
      parts.push(`<text x="${cx}" y="${bottom - 4}" text-anchor="middle" fill="#999">n/a</text>`);
    } else {
      const top0 = y(b.value);
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${top0.toFixed(1)}" width="${w.toFixed(1)}" height="${(bottom - top0).toFixed(1)}" fill="${b.value < 0 ? '#c0392b' : '#2e86de'}"/>`,
      );
      parts.push(`<text x="${cx.toFixed(1)}" y="${(top0 - 4).toFixed(1)}" text-anchor="middle">${esc(b.note ?? fmt(b.value))}</text>`);
    }
    parts.push(
      `<text x="${cx.toFixed(1)}" y="${bottom + 14}" text-anchor="end" transform="rotate(-35 ${cx.toFixed(1)} ${bottom + 14})">${esc(b.label)}</text>`,
    );
  });
  if (opts.referenceLine) {
    const ry = y(opts.referenceLine.value);
    parts.push(
      `<line x1="${left}" y1="${ry.toFixed(1)}" x2="${width - 20}" y2="${ry.toFixed(1)}" stroke="#e67e22" stroke-dasharray="6 4"/>`,
    );
    parts.push(
      `<text x="${width - 22}" y="${(ry - 4).toFixed(1)}" text-anchor="end" fill="#e67e22">${esc(opts.referenceLine.label)}</text>`,
    );
  }
  if (opts.footnote) parts.push(`<text x="${left}" y="${height - 8}" fill="#555">${esc(opts.footnote)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
