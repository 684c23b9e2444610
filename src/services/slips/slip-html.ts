import { code128Svg } from '../../domain/barcode/code128';
import type { SlipContent, SlipLine } from './slip-content';

// A slip as one small, complete HTML page that prints as it is: no script (the CSP allows none
// inline), inline styles (allowed), the barcode as inline SVG. Sized for an 80 mm receipt
// printer or A6 paper; each copy on its own page, so printing the page once prints them all.

/** Every text that reaches the page goes through here: names and titles are anyone's input. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `
@page { margin: 4mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #e8e8e8; color: #000; font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.3; }
.slip { width: 100mm; max-width: 100%; margin: 6mm auto; padding: 5mm; background: #fff; border: 1px dashed #888; }
.kicker { margin: 0 0 2mm; font-size: 8pt; text-transform: uppercase; letter-spacing: 0.08em; }
.headline { margin: 0 0 3mm; }
.headline .label { display: block; font-size: 8pt; text-transform: uppercase; letter-spacing: 0.08em; }
.headline .name { display: block; font-size: 22pt; font-weight: 700; line-height: 1.1; overflow-wrap: anywhere; }
.headline .code { display: block; font-size: 30pt; font-weight: 700; line-height: 1.1; }
h2 { margin: 3mm 0 1mm; padding-top: 1mm; border-top: 1px solid #000; font-size: 9pt; text-transform: uppercase; letter-spacing: 0.08em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5mm 3mm; margin: 1mm 0; }
dt { font-weight: 700; }
dd { margin: 0; overflow-wrap: anywhere; }
.barcode { margin: 1mm 0 2mm; }
.barcode svg { display: block; width: 100%; max-width: 70mm; height: 13mm; }
.barcode .digits { max-width: 70mm; text-align: center; font-family: "DejaVu Sans Mono", monospace; font-size: 11pt; letter-spacing: 0.1em; }
.note { margin: 2mm 0; padding: 1.5mm; border: 2px solid #000; font-weight: 700; }
.copy { margin: 2mm 0 0; font-size: 8pt; text-align: right; }
@media print {
  body { background: none; }
  .slip { width: auto; max-width: 72mm; margin: 0; padding: 0; border: 0; break-after: page; page-break-after: always; }
  .slip:last-child { break-after: auto; page-break-after: auto; }
  .barcode svg { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
`;

function lineHtml(line: SlipLine): string {
  switch (line.kind) {
    case 'kicker':
      return `<p class="kicker">${escapeHtml(line.text)}</p>`;
    case 'headline':
      return (
        `<h1 class="headline"><span class="label">${escapeHtml(line.label)}</span>` +
        `<span class="name">${escapeHtml(line.text)}</span>` +
        (line.code === undefined ? '' : `<span class="code">${escapeHtml(line.code)}</span>`) +
        `</h1>`
      );
    case 'section':
      return `<h2>${escapeHtml(line.text)}</h2>`;
    case 'field':
      return `<dt>${escapeHtml(line.label)}</dt><dd>${escapeHtml(line.text)}</dd>`;
    case 'barcode': {
      // a barcode Code 128 cannot carry (non-ASCII) is printed as text alone, never wrongly
      const svg = code128Svg(line.text);
      return `<div class="barcode">${svg ?? ''}<div class="digits">${escapeHtml(line.text)}</div></div>`;
    }
    case 'note':
      return `<p class="note">${escapeHtml(line.text)}</p>`;
  }
}

/** The lines of one copy; consecutive fields share one definition list. */
function copyHtml(content: SlipContent, copy: number): string {
  const parts: string[] = [];
  let inList = false;
  for (const line of content.lines) {
    if (line.kind === 'field' && !inList) parts.push('<dl>');
    if (line.kind !== 'field' && inList) parts.push('</dl>');
    inList = line.kind === 'field';
    parts.push(lineHtml(line));
  }
  if (inList) parts.push('</dl>');
  if (content.copies > 1) parts.push(`<p class="copy">Copy ${copy} of ${content.copies}</p>`);
  return `<section class="slip">${parts.join('')}</section>`;
}

export function slipHtml(content: SlipContent): string {
  const copies = Array.from({ length: content.copies }, (_, i) => copyHtml(content, i + 1)).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)}</title>
<style>${style}</style>
</head>
<body>
${copies}
</body>
</html>
`;
}
