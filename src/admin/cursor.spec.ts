import { encodeIdCursor } from '../common/id-cursor';
import { decodeEventCursor, encodeEventCursor } from './cursor';

describe('event cursors', () => {
  it('give back the position they were made from', () => {
    const cursor = { order: 'oldest' as const, eventTimeMs: 1711839600123, id: '9007199254740993' };
    expect(decodeEventCursor(encodeEventCursor(cursor))).toEqual(cursor);
  });

  it('are opaque URL-safe text', () => {
    expect(encodeEventCursor({ order: 'newest', eventTimeMs: 1, id: '2' })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    '',
    'abc',
    Buffer.from('e1:x:1:2').toString('base64url'),
    Buffer.from('e1:n:1:0').toString('base64url'),
    Buffer.from('e1:n:1:9223372036854775808').toString('base64url'),
    encodeIdCursor('3'),
  ])('refuse %j', (text) => {
    expect(decodeEventCursor(text)).toBeNull();
  });
});

describe('forged event cursors', () => {
  it.each([
    ['a time past year 9999', 'e1:n:253402300800000:5'],
    ['a time no date holds', 'e1:n:9999999999999999:5'],
    ['a negative time', 'e1:o:-1:5'],
  ])('refuse %s', (_what, text) => {
    expect(decodeEventCursor(Buffer.from(text).toString('base64url'))).toBeNull();
  });

  it('accept the last instant an event can have', () => {
    expect(decodeEventCursor(Buffer.from('e1:n:253402300799999:5').toString('base64url'))).toEqual({
      order: 'newest',
      eventTimeMs: 253402300799999,
      id: '5',
    });
  });
});
