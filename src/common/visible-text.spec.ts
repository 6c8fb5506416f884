import { visibleText } from './visible-text';

describe('visibleText', () => {
  it.each([
    ['plain text', 'ext_data.device_ip', 'ext_data.device_ip'],
    ['a NUL', 'a\u0000b', 'a\\u0000b'],
    ['a lone high surrogate', 'a\ud800b', 'a\\ud800b'],
    ['a lone low surrogate', 'a\udc00b', 'a\\udc00b'],
    ['a high surrogate at the end', 'a\ud83d', 'a\\ud83d'],
    ['two high surrogates then a low one', '\ud83d\ud83d\ude00', '\\ud83d\ud83d\ude00'],
    ['a pair (an emoji) and CJK', '李😀', '李😀'],
  ])('writes %s out visibly', (_what, text, visible) => {
    const written = visibleText(text);
    expect(written).toBe(visible);
    expect(written.includes('\u0000') || !written.isWellFormed()).toBe(false);
  });
});
