import { makeEvent } from '@livepromo/testing';
import { CanonicalEvent } from '@livepromo/contracts';
import { audienceFacts } from './audience-facts';

const ev = (e: unknown) => e as CanonicalEvent;

describe('audience facts', () => {
  it('takes a course view with its topics normalised (NFKC, trimmed, lower case, empties dropped)', () => {
    const e = ev({ ...makeEvent('course.viewed', { userId: 'u1', courseId: 'c1', payload: { category: 'design', topics: [' ＵＩ/Figma ', '  '] } }), eventId: 'v1', tenantId: 't1' });
    const f = audienceFacts(e);
    expect(f.view).toMatchObject({ tenantId: 't1', eventId: 'v1', userId: 'u1', courseId: 'c1', category: 'design', topics: ['ui/figma'] });
    expect(f.question).toBeUndefined();
  });

  it('skips a view that names neither a course nor a user', () => {
    const e = ev({ ...makeEvent('course.viewed'), userId: undefined, courseId: undefined });
    expect(audienceFacts(e)).toEqual({});
  });

  it('takes a classified price question, and nothing from praise or other event types', () => {
    const q = ev({ ...makeEvent('comment.classified', { liveSessionId: 's1' }), eventId: 'q1', tenantId: 't1' });
    expect(audienceFacts(q).question).toMatchObject({ eventId: 'q1', intent: 'price_question', sessionId: 's1' });
    const praise = ev({ ...makeEvent('comment.classified'), payload: { ...makeEvent('comment.classified').payload, intent: 'praise' } });
    expect(audienceFacts(praise)).toEqual({});
    expect(audienceFacts(ev(makeEvent('live.like')))).toEqual({});
  });
});
