import { describe, expect, it } from 'vitest';
import { loanNoticeDue, shelfReminderDue } from './due-notices';

describe('loanNoticeDue (courtesy 3 days before)', () => {
  it.each([
    ['39. due in 2 days', '2025-03-05', '2025-02-12', '2025-03-03', 'courtesy'],
    ['due in 3 days: the window opens', '2025-03-06', '2025-02-13', '2025-03-03', 'courtesy'],
    ['due in 4 days: not yet', '2025-03-07', '2025-02-14', '2025-03-03', null],
    ['due today', '2025-03-03', '2025-02-10', '2025-03-03', 'courtesy'],
    ['39. due yesterday: overdue', '2025-03-02', '2025-02-09', '2025-03-03', 'overdue'],
    ['a short loan lent inside the window gets no courtesy notice', '2025-03-05', '2025-03-03', '2025-03-03', null],
    ['but is overdue all the same', '2025-03-05', '2025-03-03', '2025-03-06', 'overdue'],
  ] as const)('%s', (_name, dueDate, lentOn, today, kind) => {
    expect(loanNoticeDue({ dueDate, lentOn }, today, 3)).toBe(kind);
  });

  it('with 0 days the courtesy notice comes on the due date', () => {
    expect(loanNoticeDue({ dueDate: '2025-03-05', lentOn: '2025-02-12' }, '2025-03-04', 0)).toBeNull();
    expect(loanNoticeDue({ dueDate: '2025-03-05', lentOn: '2025-02-12' }, '2025-03-05', 0)).toBe('courtesy');
  });
});

describe('shelfReminderDue', () => {
  const expires = new Date('2025-03-10T21:00:00Z');
  const shelved = new Date('2025-03-03T15:00:00Z');
  it.each([
    ['two days before', '2025-03-08T21:00:00Z', shelved, false],
    ['a day before, to the minute', '2025-03-09T21:00:00Z', shelved, true],
    ['the last morning', '2025-03-10T14:00:00Z', shelved, true],
    ['expired', '2025-03-10T21:00:00Z', shelved, false],
    ['shelved for less than a day', '2025-03-10T14:00:00Z', new Date('2025-03-10T13:00:00Z'), false],
  ] as const)('%s', (_name, now, shelvedAt, due) => {
    expect(shelfReminderDue(shelvedAt, expires, new Date(now))).toBe(due);
  });
});
