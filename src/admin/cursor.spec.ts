import { decodeEventCursor, decodeQuarantineCursor, encodeEventCursor, encodeQuarantineCursor } from './cursor';

describe('page cursors', () => {
  it('give back the position they were made from', () => {
    const cursor = { order: 'oldest' as const, eventTimeMs: 1711839600123, id: '9007199254740993' };
    expect(decodeEventCursor(encodeEventCursor(cursor))).toEqual(cursor);
    expect(decodeQuarantineCursor(encodeQuarantineCursor('42'))).toBe('42');
  });

  it('are opaque URL-safe text', () => {
    expect(encodeEventCursor({ order: 'newest', eventTimeMs: 1, id: '2' })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each(['', 'abc', Buffer.from('e1:x:1:2').toString('base64url'), Buffer.from('e1:n:1:0').toString('base64url'), encodeQuarantineCursor('3')])(
    'refuse %j as an event cursor',
    (text) => {
      expect(decodeEventCursor(text)).toBeNull();
    },
  );

  it('refuse an event cursor as a quarantine cursor', () => {
    expect(decodeQuarantineCursor(encodeEventCursor({ order: 'newest', eventTimeMs: 1, id: '2' }))).toBeNull();
  });
});
