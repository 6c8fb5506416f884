import { HttpException } from '@nestjs/common';
import { JsonCostMeter } from './json-cost';

const limits = { maxDepth: 3, maxElements: 20 };

/** Feeds `text` to a meter in chunks cut at `cuts`; returns the refusal, if any. */
function meter(text: string, cuts: number[] = []): HttpException | undefined {
  const bytes = Buffer.from(text);
  const meter = new JsonCostMeter(limits, 'the body');
  const bounds = [0, ...cuts, bytes.length];
  try {
    for (let index = 1; index < bounds.length; index++) meter.write(bytes.subarray(bounds[index - 1], bounds[index]));
  } catch (error) {
    return error as HttpException;
  }
  return undefined;
}

describe('JsonCostMeter', () => {
  it('accepts nesting up to the limit and refuses one level more, with 400', () => {
    expect(meter('{"a":[{"b":1}]}')).toBeUndefined();
    const refusal = meter('{"a":[{"b":[1]}]}');
    expect(refusal?.getStatus()).toBe(400);
    expect(refusal?.message).toBe('the body is nested deeper than 3 levels (JSON_MAX_DEPTH)');
  });

  it('refuses more values than the limit with 413, naming the setting', () => {
    expect(meter(`[${Array.from({ length: 19 }, (_, index) => index).join(',')}]`)).toBeUndefined();
    const refusal = meter(`[${'[],'.repeat(50)}[]]`);
    expect(refusal?.getStatus()).toBe(413);
    expect(refusal?.message).toMatch(/the body holds more than 20 JSON values \(JSON_MAX_ELEMENTS\)/);
  });

  it('counts nothing inside strings, escaped quotes and backslashes included, wherever the chunks are cut', () => {
    const text = `{"a":"[[[[,,,,{{{{\\"]]]\\\\","b":"\\\\\\"[[[[["}`;
    expect(JSON.parse(text)).toEqual({ a: '[[[[,,,,{{{{"]]]\\', b: '\\"[[[[[' });
    for (let cut = 0; cut <= Buffer.byteLength(text); cut++) {
      expect([cut, meter(text, [cut])]).toEqual([cut, undefined]);
      expect([cut, meter(text, [cut, Math.min(cut + 1, Buffer.byteLength(text))])]).toEqual([cut, undefined]);
    }
    // The same brackets outside a string are counted.
    expect(meter('{"a":[[[[1]]]]}')?.getStatus()).toBe(400);
  });

  it('refuses a body that is not an object or an array, after leading whitespace, with 400', () => {
    expect(meter('  \n {}')).toBeUndefined();
    expect(meter('   ', [1])).toBeUndefined();
    for (const text of ['"event"', '12', 'null', '  x{}']) {
      const refusal = meter(text);
      expect([text, refusal?.getStatus(), refusal?.message]).toEqual([
        text,
        400,
        'the body is not valid JSON: it must be an object or an array',
      ]);
    }
  });

  it('stops counting at the first refusal of a bomb of two million arrays, after a few bytes', () => {
    const bomb = Buffer.from(`[${'[],'.repeat(2_000_000)}[]]`);
    const meterOf = new JsonCostMeter({ maxDepth: 32, maxElements: 50_000 }, 'the body');
    let fed = 0;
    expect(() => {
      for (; fed < bomb.length; fed += 16_384) meterOf.write(bomb.subarray(fed, fed + 16_384));
    }).toThrow(/more than 50000 JSON values/);
    expect(fed).toBeLessThan(200_000);
  });
});
