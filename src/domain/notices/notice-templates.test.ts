import { describe, expect, it } from 'vitest';
import { checkTemplates, defaultTemplates, noticeKinds, placeholdersOf, renderNotice, unknownPlaceholders } from './notice-templates';

describe('notice templates', () => {
  it('has a default text for every kind, naming only placeholders its kind can fill', () => {
    for (const kind of noticeKinds) {
      expect(unknownPlaceholders(kind, defaultTemplates[kind].subject + defaultTemplates[kind].body)).toEqual([]);
    }
  });

  it.each([
    ['a known placeholder', 'courtesy', 'Due {dueDate}', []],
    ['a placeholder of another kind', 'hold-ready', 'Due {dueDate}', ['dueDate']],
    ['an unknown name, once however often', 'overdue', '{fine} {fine} {title}', ['fine']],
    ['braces that are not a placeholder', 'courtesy', 'a { b } {} {1}', []],
  ] as const)('finds unknown placeholders: %s', (_name, kind, text, unknown) => {
    expect(unknownPlaceholders(kind, text)).toEqual(unknown);
  });

  it('refuses a saved text with a placeholder its kind cannot fill, naming the field and what it may use', () => {
    const result = checkTemplates({ courtesy: { subject: 'Due soon', body: 'Pick up by {pickupBy}' } });
    expect(result).toMatchObject({ ok: false, refusal: { code: 'INVALID_INPUT', field: 'noticeTemplates.courtesy.body' } });
    if (!result.ok) expect(result.refusal.message).toContain('{dueDate}');
    expect(checkTemplates({ courtesy: null, overdue: { subject: '{title}', body: '{dueDate}' } })).toEqual({ ok: true, value: null });
  });

  it('renders the library text, falling back to the default, with a one-line subject', () => {
    const values = { patronName: 'Alice Anders', title: 'The Maine\nWoods', libraryName: 'Abbot Library', dueDate: 'Friday, March 7, 2025', hours: 'Monday 09:00–17:00' };
    expect(renderNotice('courtesy', {}, values)).toEqual({
      subject: 'Due soon: The Maine Woods',
      body: 'Dear Alice Anders,\n\n"The Maine\nWoods" is due back on Friday, March 7, 2025. Please return or renew it by then.\n\nOpening hours: Monday 09:00–17:00\n\nAbbot Library',
    });
    const own = { courtesy: { subject: '{libraryName}: {title}', body: 'Hi {patronName}, {title} by {dueDate}. {unknown} {reason}' } };
    expect(renderNotice('courtesy', own, values)).toEqual({
      subject: 'Abbot Library: The Maine Woods',
      // names the kind cannot fill stay as written (an old text); unknown values are empty
      body: 'Hi Alice Anders, The Maine\nWoods by Friday, March 7, 2025. {unknown} {reason}',
    });
  });

  it('gives each kind the facts it has', () => {
    expect(placeholdersOf['hold-ready']).toContain('pickupBy');
    expect(placeholdersOf['hold-cancelled']).toContain('reason');
    expect(placeholdersOf.overdue).not.toContain('pickupBy');
  });
});
