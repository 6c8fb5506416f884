import { encodeEventCursor } from '../admin/cursor';
import { decodeIdCursor, encodeIdCursor, splitPage } from './id-cursor';

describe('id cursors', () => {
  it('give back the id they were made from', () => {
    expect(decodeIdCursor(encodeIdCursor('42'))).toBe('42');
    expect(decodeIdCursor(encodeIdCursor('9223372036854775807'))).toBe('9223372036854775807');
  });

  it('are opaque URL-safe text', () => {
    expect(encodeIdCursor('9223372036854775807')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    '',
    'nonsense',
    Buffer.from('id:').toString('base64url'),
    Buffer.from('id:0').toString('base64url'),
    Buffer.from('id:007').toString('base64url'),
    Buffer.from('id:-1').toString('base64url'),
    Buffer.from('id:9223372036854775808').toString('base64url'),
    encodeEventCursor({ order: 'newest', eventTimeMs: 1, id: '2' }),
  ])('refuse %j', (text) => {
    expect(decodeIdCursor(text)).toBeNull();
  });
});

describe('splitPage', () => {
  const rows = (...ids: string[]) => ids.map((id) => ({ id }));

  it('keeps limit rows and points after the last of them when the extra row was read', () => {
    const page = splitPage(rows('9', '8', '7'), 2, (row) => row.id);
    expect(page.rows).toEqual(rows('9', '8'));
    expect(page.next_cursor).not.toBeNull();
    expect(decodeIdCursor(page.next_cursor!)).toBe('8');
  });

  it('answers a null cursor on the last page, even when it is exactly full', () => {
    expect(splitPage(rows('9', '8'), 2, (row) => row.id)).toEqual({ rows: rows('9', '8'), next_cursor: null });
    expect(splitPage(rows(), 2, (row) => row.id)).toEqual({ rows: [], next_cursor: null });
  });
});
