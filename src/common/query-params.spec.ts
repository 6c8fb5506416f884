import { validateSync } from 'class-validator';
import { QueryText } from './query-params';

class Filter {
  @QueryText(8)
  name: unknown;
}

const errorsOf = (name: unknown) => {
  const filter = new Filter();
  filter.name = name;
  return validateSync(filter, { stopAtFirstError: true }).flatMap((error) => Object.values(error.constraints ?? {}));
};

describe('QueryText', () => {
  it('takes text the database can hold', () => {
    expect(errorsOf('Müller 李')).toEqual([]);
  });

  it.each([
    ['a NUL', 'a\u0000b', 'name must not hold a NUL character (%00) or an unpaired surrogate'],
    ['a lone surrogate', 'a\ud800b', 'name must not hold a NUL character (%00) or an unpaired surrogate'],
    ['a repeated parameter', ['a', 'b'], 'name must be given once, as text'],
    ['too long a value', 'x'.repeat(9), 'name must be at most 8 characters'],
  ])('refuses %s', (_what, value, message) => {
    expect(errorsOf(value)).toEqual([message]);
  });
});
