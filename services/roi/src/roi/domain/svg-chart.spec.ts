import { barChartSvg } from './svg-chart';

describe('barChartSvg', () => {
  it('draws one bar per value scaled to the maximum, marks gaps, escapes text and draws the reference line', () => {
    const svg = barChartSvg(
      'ROI <by day>',
      [
        { label: 'd1', value: 2 },
        { label: 'd2', value: null },
        { label: 'd3', value: 1, note: '1.00' },
      ],
      {
        referenceLine: { value: 1, label: 'break-even' },
        footnote: 'ROI = R / C',
      },
    );
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('ROI &lt;by day&gt;');
    expect(svg.match(/<rect x=/g)).toHaveLength(2);
    expect(svg).toContain('n/a');
    expect(svg).toContain('stroke-dasharray');
    // value 2 is the tallest bar (top at y = 48), value 1 reaches half way (149)
    expect(svg).toContain('y="48.0" width');
    expect(svg).toContain('y="149.0" width');
  });
});
