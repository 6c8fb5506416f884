import { comparisonRows, imageDigest, imagePreview, valueText } from './conflict-fields';

// A 1x1 PNG, and the first bytes of a JPEG (enough for the type; the browser decodes the rest).
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]).toString('base64');
const digest = (sha: string, size: number) => ({ sha256: sha.repeat(64), byte_size: size, data_url_prefix: null });

describe('the comparison of a conflicting copy with its stored event', () => {
  const copy = {
    identity_id: '20001',
    identity_name: 'Alice',
    want_action: '1001',
    reg_pic: PNG,
    added_by_firmware: true,
    ext_data: { ep_id: 'box__192.168.1.2', person_type: 4, spot_pic: '', recognize_face: JPEG },
  };
  const differences = [
    { field: 'added_by_firmware', copy: true },
    { field: 'ext_data.person_type', stored: 1, copy: 4 },
    { field: 'ext_data.recognize_face', stored: digest('a', 2048), copy: digest('b', 12) },
    { field: 'score_note', stored: 'kept by the stored event only' },
    { field: 'want_action', stored: '0', copy: '1001' },
  ];

  it('lists the differing fields first, with both sides, then every other field with the copy value on both', () => {
    const rows = comparisonRows(copy, differences);
    expect(rows.map((row) => [row.field, Boolean(row.difference)])).toEqual([
      ['added_by_firmware', true],
      ['ext_data.person_type', true],
      ['ext_data.recognize_face', true],
      ['score_note', true],
      ['want_action', true],
      ['ext_data.ep_id', false],
      ['ext_data.spot_pic', false],
      ['identity_id', false],
      ['identity_name', false],
      ['reg_pic', false],
    ]);
    const byField = Object.fromEntries(rows.map((row) => [row.field, row]));
    expect(byField['want_action']).toMatchObject({
      stored: { present: true, value: '0' },
      copy: { present: true, value: '1001' },
      image: null,
    });
    expect(byField['added_by_firmware']).toMatchObject({ stored: { present: false }, copy: { present: true, value: true } });
    expect(byField['score_note']).toMatchObject({
      stored: { present: true, value: 'kept by the stored event only' },
      copy: { present: false },
    });
    // An image keeps the stored digest and the copy's base64 (for its preview).
    expect(byField['ext_data.recognize_face']).toMatchObject({
      image: 'recognize_face',
      stored: { value: digest('a', 2048) },
      copy: { value: JPEG },
    });
    expect(byField['identity_name']).toMatchObject({ stored: { present: true, value: 'Alice' }, copy: { present: true, value: 'Alice' } });
    expect(byField['reg_pic'].image).toBe('reg_pic');
    expect(byField['ext_data.spot_pic'].image).toBe('spot_pic');
  });

  it('copes with a payload that is not an object (shows the differences only)', () => {
    expect(comparisonRows(null, [{ field: 'want_action', stored: '0', copy: '1001' }])).toEqual([
      {
        field: 'want_action',
        image: null,
        difference: { field: 'want_action', stored: '0', copy: '1001' },
        stored: { present: true, value: '0' },
        copy: { present: false },
      },
    ]);
  });

  it('reads a digest only from a digest', () => {
    expect(imageDigest(digest('c', 5))).toEqual(digest('c', 5));
    expect(imageDigest(JPEG)).toBeNull();
    expect(imageDigest({ sha256: 'x' })).toBeNull();
    expect(imageDigest(undefined)).toBeNull();
  });
});

describe("a preview of the copy's image, from its base64", () => {
  it('types it from its bytes, with or without a data URL prefix, whatever the prefix claims', () => {
    expect(imagePreview(JPEG)).toEqual({ src: `data:image/jpeg;base64,${JPEG}`, byteSize: 12 });
    expect(imagePreview(`data:image/jpeg;base64,${PNG}`)).toEqual({ src: `data:image/png;base64,${PNG}`, byteSize: 70 });
    expect(imagePreview(Buffer.from('GIF89a\x01\x00\x01\x00').toString('base64'))?.src).toMatch(/^data:image\/gif;base64,/);
  });

  it('gives none for an empty field, something that is not an image (SVG, HTML), or not base64', () => {
    expect(imagePreview('')).toBeNull();
    expect(imagePreview('data:image/png;base64,')).toBeNull();
    expect(imagePreview(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64'))).toBeNull();
    expect(imagePreview(`data:image/svg+xml;base64,${Buffer.from('<svg/>').toString('base64')}`)).toBeNull();
    expect(imagePreview('not base64!')).toBeNull();
    expect(imagePreview('%%%%')).toBeNull();
    expect(imagePreview(42)).toBeNull();
  });
});

describe('values as text', () => {
  it('quotes strings (a type can be all that differs), shortens base64, writes objects as compact JSON', () => {
    expect(valueText('0')).toBe('"0"');
    expect(valueText(0)).toBe('0');
    expect(valueText({ fiqa_result: false, fails: ['clarity'] })).toBe('{"fiqa_result":false,"fails":["clarity"]}');
    expect(valueText('A'.repeat(4096))).toBe(`"${'A'.repeat(40)}… (4 KB)"`);
  });
});
