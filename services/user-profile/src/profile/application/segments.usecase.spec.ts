import { DomainError } from '@livepromo/service-kit';
import { parseSegmentId } from './segments.usecase';

describe('segment ids', () => {
  it('accepts rfm:<segment> and interest:<category>', () => {
    expect(parseSegmentId('rfm:at_risk')).toEqual({ kind: 'rfm', name: 'at_risk' });
    expect(parseSegmentId('interest:design')).toEqual({ kind: 'interest', name: 'design' });
  });

  it('answers 404 with the known ids for anything else', () => {
    for (const bad of ['rfm:whales', 'interest:cooking', 'champions', 'rfm:']) {
      expect(() => parseSegmentId(bad)).toThrow(DomainError);
    }
    try {
      parseSegmentId('x:y');
    } catch (e) {
      expect((e as DomainError).status).toBe(404);
      expect((e as DomainError).details).toEqual({ known: expect.arrayContaining(['rfm:champions', 'interest:programming']) });
    }
  });
});
