import { classifiedEventId } from './classify-comments.usecase';

describe('classifiedEventId', () => {
  it('derives the same id from the same comment, so redelivery publishes a duplicate downstream dedups', () => {
    expect(classifiedEventId('evt-1')).toBe('cls-evt-1');
    expect(classifiedEventId('evt-1')).toBe(classifiedEventId('evt-1'));
  });

  it('stays within the 128-character id limit for long comment ids', () => {
    const id = classifiedEventId('e'.repeat(128));
    expect(id.length).toBeLessThanOrEqual(128);
    expect(id).toBe(classifiedEventId('e'.repeat(128)));
    expect(id).not.toBe(classifiedEventId(`${'e'.repeat(127)}f`));
  });
});
