import { DecodedImage, decodeImage, encodeImage, sniffImageType, UndecodableImage } from './encoded-image';

const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('decodeImage', () => {
  it('decodes plain base64 and reads the type from the bytes', () => {
    const image = decodeImage(jpeg.toString('base64'));
    expect(image).toBeInstanceOf(DecodedImage);
    expect((image as DecodedImage).bytes.equals(jpeg)).toBe(true);
    expect((image as DecodedImage).contentType).toBe('image/jpeg');
    expect((image as DecodedImage).dataUrlPrefix).toBeNull();
  });

  it('keeps a data URL prefix verbatim, whatever type it claims', () => {
    const text = `data:image/jpeg;base64,${png.toString('base64')}`;
    const image = decodeImage(text) as DecodedImage;
    expect(image.contentType).toBe('image/png');
    expect(image.dataUrlPrefix).toBe('data:image/jpeg;base64,');
    expect(encodeImage(image.bytes, image.dataUrlPrefix)).toBe(text);
  });

  it('accepts the empty string of a switched-off image', () => {
    const image = decodeImage('') as DecodedImage;
    expect(image.bytes.length).toBe(0);
    expect(image.contentType).toBeNull();
  });

  it.each([
    ['unpadded text', png.toString('base64').replace(/=+$/, '') + 'A', /multiple of 4/],
    ['a character outside the alphabet', '/9j/4AAQ*kZJRg==', /alphabet/],
    ['whitespace inside', `${jpeg.toString('base64').slice(0, 4)} ${jpeg.toString('base64').slice(5)}`, /alphabet|multiple/],
    ['the URL-safe alphabet', Buffer.from([0xfb, 0xff, 0xd8]).toString('base64url') + '', /alphabet|not an image/],
    ['non-zero padding bits', 'QR==', /alphabet/],
    ['bytes that are no image', Buffer.from('GIF? no, text').toString('base64'), /not an image/],
    ['a data URL without ;base64,', `data:image/png,${png.toString('base64')}`, /data: prefix/],
  ])('rejects %s', (_, text, reason) => {
    const image = decodeImage(text);
    expect(image).toBeInstanceOf(UndecodableImage);
    expect((image as UndecodableImage).reason).toMatch(reason);
  });
});

describe('decodeImage, data URL prefixes', () => {
  it.each([
    'data:image/jpeg;base64,',
    'data:image/jpg;base64,',
    'data:image/pjpeg;base64,',
    'DATA:Image/PNG;Base64,',
    'data:image/webp;base64,',
    'data:image/x-ms-bmp;base64,',
  ])('accepts %s, kept verbatim', (prefix) => {
    const image = decodeImage(prefix + jpeg.toString('base64')) as DecodedImage;
    expect(image).toBeInstanceOf(DecodedImage);
    expect(image.dataUrlPrefix).toBe(prefix);
    expect(image.contentType).toBe('image/jpeg');
  });

  it.each([
    'data:text/html;base64,',
    'data:image/svg+xml;base64,',
    'data:application/octet-stream;base64,',
    'data:image/jpeg;name=a.exe;base64,',
    'data:image/jpeg;charset=utf-8;base64,',
    'data:;base64,',
    ' data:text/html;base64,',
  ])('refuses %s', (prefix) => {
    const image = decodeImage(prefix + jpeg.toString('base64'));
    expect(image).toBeInstanceOf(UndecodableImage);
    expect((image as UndecodableImage).reason).toMatch(
      /^has a data: prefix other than data:image\/<jpeg\|jpg\|png\|gif\|webp\|bmp>;base64,/,
    );
  });
});

describe('sniffImageType', () => {
  it.each([
    ['image/jpeg', jpeg],
    ['image/png', png],
    ['image/gif', Buffer.from('GIF89a\x01\x00', 'latin1')],
    ['image/webp', Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1')],
    ['image/bmp', Buffer.from('BM\x46\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00', 'latin1')],
  ])('recognises %s', (type, bytes) => {
    expect(sniffImageType(bytes)).toBe(type);
  });

  it('recognises nothing in text or in a truncated header', () => {
    expect(sniffImageType(Buffer.from('hello'))).toBeNull();
    expect(sniffImageType(Buffer.from([0xff, 0xd8]))).toBeNull();
  });
});

describe('the canonical base64 check', () => {
  it('agrees with re-encoding on every short string over the alphabet and its neighbours', () => {
    const alphabet = 'AB/+=-_ Q*';
    const texts = [''];
    for (let length = 1; length <= 4; length++) {
      for (const prefix of texts.filter((text) => text.length === length - 1)) {
        for (const char of alphabet) texts.push(prefix + char);
      }
    }
    // A JPEG start of 9 bytes (no padding) and of 10 bytes (ends in ==), then every tail.
    const heads = [jpeg.subarray(0, 9).toString('base64'), jpeg.toString('base64')];
    const disagreements = heads.flatMap((head) =>
      texts
        .filter((tail) => tail.length === 4)
        .map((tail) => head + tail)
        .filter((text) => decodeImage(text) instanceof DecodedImage !== (Buffer.from(text, 'base64').toString('base64') === text)),
    );
    expect(disagreements).toEqual([]);
  });
});
