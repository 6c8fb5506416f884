import { jsonArrayElements } from './undecodable-body';

describe('jsonArrayElements', () => {
  const elements = (text: string | Buffer) => jsonArrayElements(Buffer.from(text))?.map((bytes) => bytes.toString('latin1'));

  it('splits a batch into the bytes of its events, strings with brackets, commas and escapes included', () => {
    expect(elements(' [ {"a":"x,]}\\"["}, {"b":[1,{"c":2}]} ,{}]\n')).toEqual(['{"a":"x,]}\\"["}', '{"b":[1,{"c":2}]}', '{}']);
  });

  it('works on bytes that are not valid UTF-8', () => {
    const first = Buffer.concat([Buffer.from('{"n":"'), Buffer.from([0xff, 0xc3]), Buffer.from(',]"}')]);
    const body = Buffer.concat([Buffer.from('['), first, Buffer.from(',{"m":1}]')]);
    expect(jsonArrayElements(body)).toEqual([first, Buffer.from('{"m":1}')]);
  });

  it('is null for what is not an array', () => {
    expect(jsonArrayElements(Buffer.from('{"a":1}'))).toBeNull();
    expect(jsonArrayElements(Buffer.from('[{"a":1}'))).toBeNull();
  });
});
