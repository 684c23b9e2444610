// Code 128, code set B: the symbology of library item and patron barcodes, which every desk
// scanner reads. Pure: text in, bar and space widths (in modules) out, and an SVG drawing of them,
// so that slips carry a scannable barcode without a package or a font of their own.

/**
 * The bar/space widths of each symbol value 0–106, bar first (ISO/IEC 15417, table 1).
 * 0–102 are data and shift symbols, 103–105 the starts of code sets A, B and C, 106 the stop.
 * Each symbol is 11 modules wide; the stop is 13, ending in its 2-module termination bar.
 */
const patterns: readonly string[] = [
  '212222', '222122', '222221', '121223', '121322', '131222', '122213', '122312', '132212', '221213',
  '221312', '231212', '112232', '122132', '122231', '113222', '123122', '123221', '223211', '221132',
  '221231', '213212', '223112', '312131', '311222', '321122', '321221', '312212', '322112', '322211',
  '212123', '212321', '232121', '111323', '131123', '131321', '112313', '132113', '132311', '211313',
  '231113', '231311', '112133', '112331', '132131', '113123', '113321', '133121', '313121', '211331',
  '231131', '213113', '213311', '213131', '311123', '311321', '331121', '312113', '312311', '332111',
  '314111', '221411', '431111', '111224', '111422', '121124', '121421', '141122', '141221', '112214',
  '112412', '122114', '122411', '142112', '142211', '241211', '221114', '413111', '241112', '134111',
  '111242', '121142', '121241', '114212', '124112', '124211', '411212', '421112', '421211', '212141',
  '214121', '412121', '111143', '111341', '131141', '114113', '114311', '411113', '411311', '113141',
  '114131', '311141', '411131', '211412', '211214', '211232', '2331112',
];

export const startB = 104;
export const stop = 106;
/** The spec's minimum quiet zone, on each side, in modules. */
export const quietZoneModules = 10;

export interface Code128 {
  text: string;
  /** Symbol values: start B, one per character, the checksum, the stop. */
  values: number[];
  checksum: number;
  /** Bar and space widths in modules, alternating and starting with a bar; no quiet zone. */
  widths: number[];
  /** Total width in modules, without the quiet zone. */
  modules: number;
}

/** The widths of one symbol value, bar first. */
export function symbolWidths(value: number): number[] {
  const pattern = patterns[value];
  if (pattern === undefined) throw new RangeError(`Code 128 has no symbol ${value}`);
  return [...pattern].map(Number);
}

/** The set B value of a character: ASCII 32–127 map to 0–95; anything else is not in set B. */
export function setBValue(char: string): number | null {
  const code = char.codePointAt(0) ?? -1;
  return char.length === 1 && code >= 32 && code <= 127 ? code - 32 : null;
}

/** The check symbol: (start value + Σ position × value) mod 103, positions counted from 1. */
export function checksumOf(startValue: number, dataValues: readonly number[]): number {
  return dataValues.reduce((sum, value, i) => sum + (i + 1) * value, startValue) % 103;
}

/**
 * Encodes `text` in code set B. Null when the text is empty or holds a character outside set B
 * (control characters, non-ASCII): the caller then prints the text alone, since a wrong
 * barcode is worse than none.
 */
export function encodeCode128(text: string): Code128 | null {
  if (text.length === 0) return null;
  const data: number[] = [];
  for (const char of text) {
    const value = setBValue(char);
    if (value === null) return null;
    data.push(value);
  }
  const checksum = checksumOf(startB, data);
  const values = [startB, ...data, checksum, stop];
  const widths = values.flatMap(symbolWidths);
  return { text, values, checksum, widths, modules: widths.reduce((a, b) => a + b, 0) };
}

/** The bars as [x, width] pairs in modules from the left edge of the symbol (no quiet zone). */
export function barsOf(code: Code128): Array<[number, number]> {
  const bars: Array<[number, number]> = [];
  let x = 0;
  code.widths.forEach((width, i) => {
    if (i % 2 === 0) bars.push([x, width]);
    x += width;
  });
  return bars;
}

export interface SvgOptions {
  /** Height of the bars, in modules (default 40: about a centimetre at a printable module). */
  barHeight?: number;
  /** Quiet zone on each side, in modules (default and minimum by the spec: 10). */
  quietZone?: number;
  /** Print the text under the bars (default false: slips print it themselves, larger). */
  humanReadable?: boolean;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The barcode as a standalone SVG element in module units (viewBox), so that it scales to any
 * printer without blurring bars: the caller sizes it with CSS. Null when the text cannot be
 * encoded. The bars are one path of black rectangles on a white background.
 */
export function code128Svg(text: string, options: SvgOptions = {}): string | null {
  const code = encodeCode128(text);
  if (!code) return null;
  const barHeight = options.barHeight ?? 40;
  const quiet = Math.max(options.quietZone ?? quietZoneModules, quietZoneModules);
  const textHeight = options.humanReadable ? 12 : 0;
  const width = code.modules + 2 * quiet;
  const height = barHeight + textHeight;
  const path = barsOf(code)
    .map(([x, w]) => `M${x + quiet} 0h${w}v${barHeight}h-${w}z`)
    .join('');
  const label = options.humanReadable
    ? `<text x="${width / 2}" y="${height - 1}" text-anchor="middle" font-family="monospace" font-size="10">${escapeXml(text)}</text>`
    : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" shape-rendering="crispEdges" role="img" aria-label="Barcode ${escapeXml(text)}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/><path d="${path}" fill="#000"/>${label}</svg>`
  );
}
