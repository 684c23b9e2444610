import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { smtpMailer, type Mailer } from '../../src/services/notices/mailer';
import { patronBarcode, placeHold, scenarioFixture, t1Items, type ScenarioFixture } from '../support/scenario-fixture';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

// SCENARIOS.md 38 and 39: notices to patrons, sent by the notices job through a real SMTP server
// (a test peer on 127.0.0.1), as `tamarack serve` does with SMTP_URL set.

let peer: SmtpPeer;
let mailer: Mailer;
beforeAll(async () => {
  peer = await startSmtpPeer();
  mailer = smtpMailer(peer.url, 'Tamarack <notices@cons.example.org>');
});
afterAll(async () => {
  mailer.close();
  await peer.close();
});
beforeEach(() => {
  peer.accepted.length = 0;
  peer.seen.length = 0;
  peer.answer = () => 'accept';
});

async function runJob(f: ScenarioFixture, name: 'notices' | 'due-notices') {
  const res = await f.admin.post(`/admin/jobs/${name}/run`);
  expect(res.status, res.text).toBe(200);
  expect(res.body.state, res.body.error).toBe('done');
  return res.body.summary;
}

async function noticesOf(f: ScenarioFixture, holdId: number) {
  return f.t.connection.db.selectFrom('notices').selectAll().where('hold_id', '=', holdId).orderBy('id').execute();
}

/** PA1's hold on T1 is filled by A's own copy, scanned at A at 10:00. */
async function pa1ItemOnAsShelf(f: ScenarioFixture) {
  const hold = await placeHold(await f.patron('PA1'), { type: 'title', recordId: f.t1 });
  expect(hold.target.barcode).toBe(t1Items.A);
  const scan = await (await f.staff('A', 'circ')).post('/circulation/scan', { itemBarcode: t1Items.A });
  expect(scan.body).toMatchObject({ action: 'holds-shelf', notice: 'email' });
  return hold;
}

describe('notices', () => {
  it('38. Hold ready email', async () => {
    const f = await scenarioFixture({ delivery: { mailer } });
    const hold = await pa1ItemOnAsShelf(f);
    expect(await runJob(f, 'notices')).toMatchObject({ channel: 'smtp', sent: 1 });
    expect(peer.accepted).toHaveLength(1);
    const [notice] = await noticesOf(f, hold.id);
    const [mail] = peer.accepted;
    expect(mail).toMatchObject({ to: ['pa1@example.org'], messageId: `<notice-${notice.id}@cons.tamarack>`, subject: 'Your hold is ready: The Maine Woods' });
    expect(mail.text).toMatch(/^Dear Alice Anders,/);
    expect(mail.text).toMatch(/on the holds shelf at Abbot Library\. Please pick it up by Monday, March 10(,| at) 5:00\sPM\./);
    expect(mail.text).toContain('Opening hours: Monday–Saturday 09:00–17:00; Sunday closed');
    expect(notice).toMatchObject({ state: 'sent', attempts: 1, sent_at: f.t.clock.now() });
    // exactly one: later runs find nothing to send
    expect(await runJob(f, 'notices')).toMatchObject({ sent: 0 });
    expect(peer.seen).toHaveLength(1);
    const listed = await (await f.patron('PA1')).get('/notices');
    expect(listed.body).toEqual([expect.objectContaining({ kind: 'hold-ready', channel: 'email', state: 'sent', subject: mail.subject, text: mail.text })]);
  });

  it('38. Hold ready email: none if the hold was cancelled before sending', async () => {
    const f = await scenarioFixture({ delivery: { mailer } });
    const hold = await pa1ItemOnAsShelf(f);
    const cancel = await (await f.patron('PA1')).post(`/holds/${hold.id}/cancel`, { reason: 'patron-request' });
    expect(cancel.status, cancel.text).toBe(200);
    await runJob(f, 'notices');
    expect(peer.seen.filter((m) => m.subject.startsWith('Your hold is ready'))).toEqual([]);
    const ready = (await noticesOf(f, hold.id)).find((n) => n.kind === 'hold-ready')!;
    expect(ready).toMatchObject({ state: 'cancelled', sent_at: null, cancel_reason: expect.stringMatching(/cancelled/) });
  });

  it('38. Hold ready email: the check right before sending catches a hold that left the shelf', async () => {
    const f = await scenarioFixture({ delivery: { mailer } });
    const hold = await pa1ItemOnAsShelf(f);
    // changed behind the outbox's back (no withdrawal): only the job's own check stands between
    await f.cancelHold(hold.id);
    expect(await runJob(f, 'notices')).toMatchObject({ sent: 0, cancelled: 1 });
    expect(peer.seen).toEqual([]);
    const [ready] = await noticesOf(f, hold.id);
    expect(ready).toMatchObject({ state: 'cancelled', cancel_reason: 'the hold is no longer on the holds shelf (it is cancelled)' });
    const event = await f.t.connection.db.selectFrom('events').selectAll().where('kind', '=', 'notice-cancelled').where('hold_id', '=', hold.id).executeTakeFirst();
    expect(event?.reason).toBe(ready.cancel_reason);
  });

  it('38. Hold ready email: a notice on its way when the hold is picked up is left to its sender', async () => {
    const f = await scenarioFixture({ delivery: { mailer } });
    const hold = await pa1ItemOnAsShelf(f);
    const db = f.t.connection.db;
    // a sender of another process has claimed it and may be handing it to the mail server now
    await db.updateTable('notices').set({ claimed_until: new Date('2099-01-01T00:00:00Z') }).where('hold_id', '=', hold.id).execute();
    expect((await (await f.staff('A', 'circ')).post('/circulation/checkout', { patronBarcode: patronBarcode('PA1'), itemBarcode: t1Items.A })).status).toBe(201);
    const [claimed] = await noticesOf(f, hold.id);
    expect(claimed).toMatchObject({ state: 'pending' });
    // that process died before sending: the next sender finds the hold picked up and withdraws it
    await db.updateTable('notices').set({ claimed_until: null }).where('hold_id', '=', hold.id).execute();
    expect(await runJob(f, 'notices')).toMatchObject({ sent: 0, cancelled: 1 });
    expect(peer.seen).toEqual([]);
    const [ready] = await noticesOf(f, hold.id);
    expect(ready).toMatchObject({ state: 'cancelled', cancel_reason: 'the hold is no longer on the holds shelf (it is fulfilled)' });
  });

  it('39. Courtesy and overdue', async () => {
    const f = await scenarioFixture({ delivery: { mailer } });
    // lent 19 days ago: due in 2 days (Wednesday 2025-03-05); lent 22 days ago: due yesterday
    await f.lend(t1Items.A, { patronBarcode: patronBarcode('PA1'), checkedOutAt: new Date('2025-02-12T15:00:00Z') });
    await f.lend(t1Items.B, { patronBarcode: patronBarcode('PA2'), checkedOutAt: new Date('2025-02-09T15:00:00Z') });
    // PB1 has no email: no notice at all
    await f.lend(t1Items.C, { patronBarcode: patronBarcode('PB1'), checkedOutAt: new Date('2025-02-09T15:00:00Z') });
    // due in 10 days: not yet
    await f.lend(t1Items.S1, { patronBarcode: patronBarcode('PC1'), checkedOutAt: new Date('2025-02-20T15:00:00Z') });

    expect(await runJob(f, 'due-notices')).toEqual({ courtesy: 1, overdue: 1, shelfReminders: 0 });
    await runJob(f, 'notices');
    const bySubject = peer.accepted.map((m) => [m.to[0], m.subject]).sort();
    expect(bySubject).toEqual([
      ['pa1@example.org', 'Due soon: The Maine Woods'],
      ['pa2@example.org', 'Overdue: The Maine Woods'],
    ]);
    expect(peer.accepted.find((m) => m.to[0] === 'pa1@example.org')!.text).toContain('is due back on Wednesday, March 5, 2025');
    expect(peer.accepted.find((m) => m.to[0] === 'pa2@example.org')!.text).toContain('was due back on Sunday, March 2, 2025');

    // none twice: the same day, the next day, and when the courtesy loan itself falls overdue
    expect(await runJob(f, 'due-notices')).toEqual({ courtesy: 0, overdue: 0, shelfReminders: 0 });
    await f.setClock('2025-03-04T15:00:00Z');
    expect(await runJob(f, 'due-notices')).toEqual({ courtesy: 0, overdue: 0, shelfReminders: 0 });
    await f.setClock('2025-03-06T15:00:00Z');
    expect(await runJob(f, 'due-notices')).toEqual({ courtesy: 0, overdue: 1, shelfReminders: 0 });
    expect(await runJob(f, 'due-notices')).toEqual({ courtesy: 0, overdue: 0, shelfReminders: 0 });
    await runJob(f, 'notices');
    expect(peer.accepted.map((m) => [m.to[0], m.subject]).slice(2)).toEqual([['pa1@example.org', 'Overdue: The Maine Woods']]);
    expect(new Set(peer.seen.map((m) => m.messageId)).size).toBe(3);
  });

  it('39. Courtesy and overdue: a loan returned or renewed before the notice goes out gets none', async () => {
    const f = await scenarioFixture({ delivery: { mailer } });
    await f.lend(t1Items.A, { patronBarcode: patronBarcode('PA1'), checkedOutAt: new Date('2025-02-12T15:00:00Z') });
    await f.lend(t1Items.B, { patronBarcode: patronBarcode('PA2'), checkedOutAt: new Date('2025-02-09T15:00:00Z') });
    expect(await runJob(f, 'due-notices')).toMatchObject({ courtesy: 1, overdue: 1 });
    await f.giveBack(t1Items.A);
    const renewed = await (await f.staff('B', 'circ')).post('/circulation/renew', { itemBarcode: t1Items.B });
    expect(renewed.status, renewed.text).toBe(200);
    expect(await runJob(f, 'notices')).toMatchObject({ sent: 0, cancelled: 2 });
    expect(peer.seen).toEqual([]);
    const reasons = (await f.t.connection.db.selectFrom('notices').select(['kind', 'cancel_reason']).where('loan_id', 'is not', null).orderBy('kind').execute()).map((n) => [n.kind, n.cancel_reason]);
    expect(reasons).toEqual([
      ['courtesy', 'the item was returned'],
      ['overdue', expect.stringMatching(/^the due date changed from 2025-03-02 to /)],
    ]);
  });
});
