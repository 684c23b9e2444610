import { describe, expect, it } from 'vitest';
import { barsOf, checksumOf, code128Svg, encodeCode128, setBValue, startB, stop, symbolWidths } from './code128';

// Expected values are worked by hand from the spec: checksum = (104 + Σ position × value) mod 103.
// The encodings below were also read back by a real decoder (zbar) when they were written.

describe('Code 128 set B', () => {
  it.each([
    // text, data values, checksum
    ['PJJ123C', [48, 42, 42, 17, 18, 19, 35], 55], // 104+48+84+126+68+90+114+245 = 879 ≡ 55
    ['31000001', [19, 17, 16, 16, 16, 16, 16, 17], 75], // the fixture's item barcode
    ['22000001', [18, 18, 16, 16, 16, 16, 16, 17], 76], // the fixture's patron PB1
    ['A', [33], 34], // 104 + 33 = 137 ≡ 34
    [' ', [0], 1], // 104 ≡ 1
    ['~', [94], 95], // 104 + 94 = 198 ≡ 95
  ])('%s has values %j and checksum %i', (text, data, checksum) => {
    const code = encodeCode128(text)!;
    expect(code.values).toEqual([startB, ...data, checksum, stop]);
    expect(code.checksum).toBe(checksum);
    expect(checksumOf(startB, data)).toBe(checksum);
  });

  it('lays out bars and spaces: start B, data, checksum, stop, 11 modules a symbol and 13 for the stop', () => {
    const code = encodeCode128('PJJ123C')!;
    expect(code.widths.slice(0, 6)).toEqual([2, 1, 1, 2, 1, 4]); // start B
    expect(code.widths.slice(6, 12)).toEqual([3, 1, 3, 1, 2, 1]); // P = 48
    expect(code.widths.slice(-13, -7)).toEqual([3, 1, 1, 3, 2, 1]); // checksum 55
    expect(code.widths.slice(-7)).toEqual([2, 3, 3, 1, 1, 1, 2]); // stop, ending in a bar
    expect(code.widths).toHaveLength(6 * 9 + 7);
    expect(code.modules).toBe(11 * 9 + 13);
  });

  it('has 107 symbols of the right size, all different', () => {
    const all = Array.from({ length: 107 }, (_, v) => symbolWidths(v).join(''));
    expect(new Set(all).size).toBe(107);
    all.forEach((p, v) => expect([...p].reduce((s, w) => s + Number(w), 0)).toBe(v === stop ? 13 : 11));
    expect(() => symbolWidths(107)).toThrow(RangeError);
  });

  it.each([[''], ['é'], ['tab\there'], ['Ångström'], ['مكتبة']])('does not encode %j (not in set B): the slip prints the text alone', (text) => {
    expect(encodeCode128(text)).toBeNull();
    expect(code128Svg(text)).toBeNull();
  });

  it('maps ASCII 32–127 to 0–95', () => {
    expect(setBValue(' ')).toBe(0);
    expect(setBValue('0')).toBe(16);
    expect(setBValue('\u007f')).toBe(95);
    expect(setBValue('\u001f')).toBeNull();
  });

  it('puts each bar where the widths say', () => {
    const code = encodeCode128('A')!;
    const bars = barsOf(code);
    expect(bars[0]).toEqual([0, 2]); // start B begins with a 2-module bar
    expect(bars[1]).toEqual([3, 1]);
    const last = bars[bars.length - 1];
    expect(last[0] + last[1]).toBe(code.modules); // the termination bar closes the symbol
  });
});

describe('the SVG drawing', () => {
  it('is black bars on white with a quiet zone of at least 10 modules each side', () => {
    const svg = code128Svg('31000001')!;
    const code = encodeCode128('31000001')!;
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain(`viewBox="0 0 ${code.modules + 20} 40"`);
    expect(svg).toContain('M10 0h2v40h-2z'); // the first bar starts after the quiet zone
    expect(svg.match(/z/g)).toHaveLength(barsOf(code).length);
    expect(code128Svg('31000001', { quietZone: 2 })).toContain('M10 0h2v40h-2z');
    expect(svg).not.toContain('<text');
  });

  it('prints the text under the bars when asked, escaped', () => {
    const svg = code128Svg('<a&b>', { humanReadable: true })!;
    expect(svg).toContain('>&#60;a&#38;b&#62;</text>');
    expect(svg).not.toContain('<a&b>');
    expect(svg).toContain('aria-label="Barcode &#60;a&#38;b&#62;"');
  });
});
