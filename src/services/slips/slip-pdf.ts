import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { barsOf, encodeCode128, quietZoneModules } from '../../domain/barcode/code128';
import type { SlipContent, SlipLine } from './slip-content';

// A slip as a PDF, for desks that print through a PDF viewer or keep a copy. DejaVu Sans is
// embedded (and subset) from the dejavu-fonts-ttf package: pdfkit's built-in Helvetica has no
// glyphs beyond Latin-1, so names like "Łukasz" or "مريم" would print as garbage. fontkit joins
// Arabic letters, but pdfkit does no bidirectional reordering: a name mixing scripts prints its
// parts in typed order, which is still readable at the shelf.

// Two faces only: each embedded face costs about 0.1 s of font loading and subsetting per document on this
// machine, so the barcode digits use the regular face rather than a third, monospaced one.
const require = createRequire(import.meta.url);
const fonts = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
};

/** A6 portrait in points: fits A6 paper and scales down cleanly to an 80 mm roll. */
const pageSize: [number, number] = [297.64, 419.53];
const margin = 20;
const contentWidth = pageSize[0] - 2 * margin;
/** Widest bar module: wider prints no better, and long barcodes get narrower ones to fit. */
const maxModule = 1.5;
const barHeight = 36;

type Doc = InstanceType<typeof PDFDocument>;

function drawBarcode(doc: Doc, text: string): void {
  const code = encodeCode128(text);
  let width = contentWidth;
  if (code) {
    const module = Math.min(maxModule, contentWidth / (code.modules + 2 * quietZoneModules));
    width = (code.modules + 2 * quietZoneModules) * module;
    const left = margin + quietZoneModules * module;
    const top = doc.y + 2;
    for (const [x, w] of barsOf(code)) doc.rect(left + x * module, top, w * module, barHeight);
    doc.fillColor('black').fill();
    doc.y = top + barHeight + 2;
  }
  // a barcode Code 128 cannot carry is printed as text alone, never wrongly
  doc.font('regular').fontSize(11).text(text, margin, doc.y, { width, align: 'center', characterSpacing: 1 });
  doc.moveDown(0.3);
}

function drawLine(doc: Doc, line: SlipLine): void {
  const at = { width: contentWidth };
  switch (line.kind) {
    case 'kicker':
      doc.font('regular').fontSize(8).fillColor('#333').text(line.text.toUpperCase(), margin, doc.y, { ...at, characterSpacing: 0.5 });
      doc.fillColor('black').moveDown(0.4);
      return;
    case 'headline':
      doc.font('regular').fontSize(8).text(line.label.toUpperCase(), margin, doc.y, { ...at, characterSpacing: 0.5 });
      doc.font('bold').fontSize(22).text(line.text, at);
      if (line.code !== undefined) doc.font('bold').fontSize(30).text(line.code, at);
      doc.moveDown(0.3);
      return;
    case 'section': {
      doc.moveDown(0.3);
      const y = doc.y;
      doc.moveTo(margin, y).lineTo(margin + contentWidth, y).lineWidth(0.75).stroke();
      doc.font('bold').fontSize(9).text(line.text.toUpperCase(), margin, y + 3, { ...at, characterSpacing: 0.5 });
      doc.moveDown(0.2);
      return;
    }
    case 'field':
      doc.font('bold').fontSize(10).text(`${line.label}: `, margin, doc.y, { ...at, continued: true });
      doc.font('regular').text(line.text);
      return;
    case 'barcode':
      drawBarcode(doc, line.text);
      return;
    case 'note': {
      doc.moveDown(0.3);
      const top = doc.y;
      doc.font('bold').fontSize(10).text(line.text, margin + 5, top + 5, { width: contentWidth - 10 });
      doc.rect(margin, top, contentWidth, doc.y - top + 4).lineWidth(1.5).stroke();
      doc.y += 6;
      return;
    }
  }
}

/** The slip as PDF bytes: one page per copy. `now` dates the document (the injected clock). */
export function slipPdf(content: SlipContent, now: Date): Promise<Buffer> {
  const doc = new PDFDocument({
    size: pageSize,
    margin,
    // the default font, so Helvetica is never loaded nor embedded
    font: fonts.regular,
    autoFirstPage: false,
    info: { Title: content.title, Creator: 'Tamarack', CreationDate: now },
  });
  doc.registerFont('regular', fonts.regular);
  doc.registerFont('bold', fonts.bold);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (let copy = 1; copy <= content.copies; copy++) {
    doc.addPage();
    for (const line of content.lines) drawLine(doc, line);
    if (content.copies > 1) doc.font('regular').fontSize(8).text(`Copy ${copy} of ${content.copies}`, margin, doc.y + 4, { width: contentWidth, align: 'right' });
  }
  doc.end();
  return done;
}
