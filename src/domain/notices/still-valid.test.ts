import { describe, expect, it } from 'vitest';
import { stillValid, type NoticeFacts } from './still-valid';

const now = new Date('2025-03-09T15:00:00Z');
const onShelf = { status: 'on-holds-shelf', shelfExpiresAt: new Date('2025-03-10T21:00:00Z') };
const facts = (f: Partial<NoticeFacts>): NoticeFacts => ({ hold: null, loan: null, ...f });

describe('stillValid', () => {
  it.each([
    ['hold-ready, still on the shelf', 'hold-ready', null, facts({ hold: onShelf }), true],
    ['hold-ready, hold cancelled', 'hold-ready', null, facts({ hold: { ...onShelf, status: 'cancelled' } }), false],
    ['hold-ready, picked up', 'hold-ready', null, facts({ hold: { ...onShelf, status: 'fulfilled' } }), false],
    ['hold-cancelled, always', 'hold-cancelled', null, facts({ hold: { ...onShelf, status: 'cancelled' } }), true],
    ['courtesy, loan open, same due date', 'courtesy', '2025-03-12', facts({ loan: { open: true, dueDate: '2025-03-12' } }), true],
    ['courtesy, returned', 'courtesy', '2025-03-12', facts({ loan: { open: false, dueDate: '2025-03-12' } }), false],
    ['courtesy, renewed', 'courtesy', '2025-03-12', facts({ loan: { open: true, dueDate: '2025-04-02' } }), false],
    ['overdue, still out', 'overdue', '2025-03-01', facts({ loan: { open: true, dueDate: '2025-03-01' } }), true],
    ['overdue, no loan', 'overdue', '2025-03-01', facts({}), false],
    ['reminder, still on the shelf', 'shelf-expiry-reminder', null, facts({ hold: onShelf }), true],
    ['reminder, shelf time over', 'shelf-expiry-reminder', null, facts({ hold: { ...onShelf, shelfExpiresAt: new Date('2025-03-09T14:00:00Z') } }), false],
    ['reminder, picked up', 'shelf-expiry-reminder', null, facts({ hold: { ...onShelf, status: 'fulfilled' } }), false],
  ] as const)('%s', (_name, kind, dueDate, f, valid) => {
    const result = stillValid({ kind, dueDate }, f, now);
    expect(result.valid).toBe(valid);
    if (!result.valid) expect(result.reason.length).toBeGreaterThan(5);
  });
});
