import { describe, expect, it } from 'vitest';
import { cardEnding, holdShelfSlipContent, shelfName, shortTitle, transitSlipContent } from './slip-content';
import type { TransitSlipData } from './slip-data';
import { escapeHtml, slipHtml } from './slip-html';

// The slip's words without a database: the cases the API test does not reach.
const holdTransit: TransitSlipData = {
  transitId: 7,
  kind: 'hold',
  source: { code: 'A', name: 'Abbot Library' },
  sourceTimezone: 'America/New_York',
  destination: { code: 'B', name: 'Bangor Library' },
  sentAt: new Date('2025-07-01T13:30:00Z'),
  cancelled: false,
  item: { barcode: '31000001', title: 'The Maine Woods', callNumber: '917.41 THO' },
  hold: { id: 3, cancelled: false, patron: { firstName: 'Samuel', lastName: 'Robbins', barcode: '22000042' }, pickupLibrary: { code: 'B', name: 'Bangor Library' } },
};

const texts = (lines: { kind: string; text?: string }[]) => lines.map((l) => l.text ?? '');

describe('slip content', () => {
  it('names the patron last name first and shows only the end of the card', () => {
    expect(shelfName({ firstName: 'Samuel', lastName: 'Robbins' })).toBe('ROBBINS, Samuel');
    expect(shelfName({ firstName: 'Zoë', lastName: 'Ångström' })).toBe('ÅNGSTRÖM, Zoë');
    expect(cardEnding('22000042')).toBe('…0042');
  });

  it('dates a transit on the sending desk’s clock (daylight time in July)', () => {
    const content = transitSlipContent(holdTransit);
    expect(texts(content.lines)).toContain('Tue, Jul 1, 2025, 9:30 AM EDT');
    expect(content.copies).toBe(2);
  });

  it('warns on a hold cancelled in transit and on a cancelled transit', () => {
    const content = transitSlipContent({ ...holdTransit, cancelled: true, hold: { ...holdTransit.hold!, cancelled: true } });
    const notes = content.lines.filter((l) => l.kind === 'note').map((l) => l.text);
    expect(notes).toHaveLength(2);
    expect(notes.join(' ')).toMatch(/transit was cancelled.*hold has been cancelled/);
  });

  it('prints a return transit once, with no patron', () => {
    const content = transitSlipContent({ ...holdTransit, kind: 'return', hold: null });
    expect(content.copies).toBe(1);
    expect(texts(content.lines).join(' ')).not.toMatch(/ROBBINS|22000042/);
  });

  it('shortens very long titles so the slip stays one page', () => {
    const long = 'A'.repeat(500);
    expect(shortTitle(long)).toHaveLength(160);
    expect(shortTitle(long).endsWith('…')).toBe(true);
    expect(shortTitle('Walden')).toBe('Walden');
  });

  it('dates the pickup on the pickup library’s calendar', () => {
    const content = holdShelfSlipContent({
      holdId: 9,
      patron: { firstName: 'Samuel', lastName: 'Robbins', barcode: '22000042' },
      pickupLibrary: { code: 'H', name: 'Honolulu Branch' },
      pickupTimezone: 'Pacific/Honolulu',
      // 03:00 UTC on the 11th is still the 10th in Honolulu
      shelfExpiresAt: new Date('2025-03-11T03:00:00Z'),
      title: 'Walden',
      itemBarcode: 'é-not-code128',
    });
    expect(texts(content.lines)).toContain('Mon, Mar 10, 2025');
    // a barcode Code 128 cannot carry prints as text only
    const html = slipHtml(content);
    expect(html).not.toContain('<svg');
    expect(html).toContain('é-not-code128');
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});
