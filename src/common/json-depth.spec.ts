import { exceedsDepth } from './json-depth';

const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = level % 2 ? [value] : { a: value };
  return value;
};

describe('exceedsDepth', () => {
  it('counts objects and arrays, not scalars', () => {
    expect(exceedsDepth(nested(3), 3)).toBe(false);
    expect(exceedsDepth(nested(4), 3)).toBe(true);
    expect(exceedsDepth('text', 1)).toBe(false);
    expect(exceedsDepth(undefined, 1)).toBe(false);
  });

  it('handles a million levels without overflowing the stack', () => {
    expect(exceedsDepth(nested(1_000_000), 32)).toBe(true);
  });
});
