import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAttempts } from '../../src/domain/notices/delivery';
import { smtpMailer, type Mailer } from '../../src/services/notices/mailer';
import { createScenarioFixture, patronBarcode, placeHold, t1Items, type ScenarioFixture } from '../support/scenario-fixture';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp-peer';

// Notices to patrons (API.md "Notices and reports"): the in-app mailbox, GET /notices, the
// phone-call list, retries through a refusing SMTP server, each library's wording, and the
// library message for an item missing from a pull list.

async function runJob(f: ScenarioFixture, name: 'notices' | 'due-notices') {
  const res = await f.admin.post(`/admin/jobs/${name}/run`);
  expect(res.status, res.text).toBe(200);
  expect(res.body.state, res.body.error).toBe('done');
  return res.body.summary;
}

/** PA1's hold on T1 filled by A's own copy, scanned at A: an email notice is queued. */
async function pa1ItemOnAsShelf(f: ScenarioFixture) {
  const hold = await placeHold(await f.patron('PA1'), { type: 'title', recordId: f.t1 });
  const scan = await (await f.staff('A', 'circ')).post('/circulation/scan', { itemBarcode: t1Items.A });
  expect(scan.body, scan.text).toMatchObject({ action: 'holds-shelf', notice: 'email' });
  return hold;
}

function withFixture(setup?: (f: ScenarioFixture) => Promise<void>, options: Parameters<typeof createScenarioFixture>[0] = {}) {
  const state = {} as { f: ScenarioFixture };
  beforeAll(async () => {
    state.f = await createScenarioFixture(options);
    await setup?.(state.f);
  });
  afterAll(() => state.f.t.close());
  return state;
}

describe('the in-app mailbox and GET /notices', () => {
  const s = withFixture();

  it('delivers to the mailbox when there is no SMTP server: sent, and the text stays readable', async () => {
    const { f } = s;
    await pa1ItemOnAsShelf(f);
    expect(await runJob(f, 'notices')).toEqual({ channel: 'mailbox', sent: 1, cancelled: 0, retrying: 0, failed: 0 });
    const res = await (await f.patron('PA1')).get('/notices');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      {
        id: expect.any(Number),
        kind: 'hold-ready',
        channel: 'email',
        toAddress: 'pa1@example.org',
        subject: 'Your hold is ready: The Maine Woods',
        text: expect.stringContaining('is waiting for you on the holds shelf at Abbot Library'),
        state: 'sent',
        createdAt: '2025-03-03T15:00:00.000Z',
        sentAt: '2025-03-03T15:00:00.000Z',
        reason: null,
      },
    ]);
  });

  it('shows a patron only their own notices, and staff any patron named', async () => {
    const { f } = s;
    const pa1 = await f.patron('PA1');
    expect((await pa1.get(`/notices?patron=${patronBarcode('PA1')}`)).body).toHaveLength(1);
    expect((await pa1.get(`/notices?patron=${patronBarcode('PA2')}`)).body.error.code).toBe('FORBIDDEN');
    expect((await (await f.patron('PA2')).get('/notices')).body).toHaveLength(0);
    const circ = await f.staff('C', 'circ');
    expect((await circ.get(`/notices?patron=${patronBarcode('PA1')}`)).body).toHaveLength(1);
    expect((await circ.get('/notices')).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'patron' });
    expect((await circ.get('/notices?patron=99999999')).status).toBe(404);
    expect((await f.t.anonymous.get(`/notices?patron=${patronBarcode('PA1')}`)).status).toBe(401);
    expect((await circ.get(`/notices?patron=${patronBarcode('PA1')}&limit=0`)).status).toBe(400);
    expect((await circ.get(`/notices?patron=${patronBarcode('PA1')}&offset=1`)).body).toEqual([]);
  });

  it("leaves a notice another process is sending, and takes it over when that claim's lease runs out or its process is gone", async () => {
    const { f } = s;
    const db = f.t.connection.db;
    const patron = await db.selectFrom('patrons').select(['id', 'home_library_id']).where('barcode', '=', patronBarcode('PA2')).executeTakeFirstOrThrow();
    const now = f.t.clock.now();
    const queue = async (claim: { claimed_until: Date; claimed_backend: number | null }) =>
      (
        await db
          .insertInto('notices')
          .values({ kind: 'hold-cancelled', channel: 'email', patron_id: patron.id, library_id: patron.home_library_id, to_address: 'pa2@example.org', subject: 's', body: 'b', created_at: now, send_after: now, ...claim })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const stateOf = async (id: string) => (await db.selectFrom('notices').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;
    const held = await queue({ claimed_until: new Date(now.getTime() + 60_000), claimed_backend: null });
    // a session that no longer exists (the claiming process died): taken over at once
    const orphaned = await queue({ claimed_until: new Date(now.getTime() + 60_000), claimed_backend: 999_999 });
    expect(await runJob(f, 'notices')).toMatchObject({ sent: 1 });
    expect([await stateOf(held), await stateOf(orphaned)]).toEqual(['pending', 'sent']);
    f.t.clock.set(new Date(now.getTime() + 60_000));
    expect(await runJob(f, 'notices')).toMatchObject({ sent: 1 });
    expect(await stateOf(held)).toBe('sent');
    f.t.clock.set(now);
  });

  it('reminds the patron the day before the item leaves the shelf, once', async () => {
    const { f } = s;
    // on A's shelf until Monday 2025-03-10 17:00 local (21:00 UTC)
    await f.setClock('2025-03-09T20:59:00Z');
    expect(await runJob(f, 'due-notices')).toEqual({ courtesy: 0, overdue: 0, shelfReminders: 0 });
    await f.setClock('2025-03-09T21:30:00Z');
    expect(await runJob(f, 'due-notices')).toEqual({ courtesy: 0, overdue: 0, shelfReminders: 1 });
    expect(await runJob(f, 'due-notices')).toEqual({ courtesy: 0, overdue: 0, shelfReminders: 0 });
    expect(await runJob(f, 'notices')).toMatchObject({ sent: 1 });
    const [reminder] = (await (await f.patron('PA1')).get('/notices')).body;
    expect(reminder).toMatchObject({ kind: 'shelf-expiry-reminder', state: 'sent', subject: 'Last day to pick up: The Maine Woods' });
    expect(reminder.text).toMatch(/until Monday, March 10(,| at) 5:00\sPM/);
  });
});

describe('the phone-call list', () => {
  const s = withFixture();
  let callId: number;

  it("lists a hold ready for a patron without email on the pickup library's list", async () => {
    const { f } = s;
    const hold = await placeHold(await f.staff('B', 'circ'), { patronBarcode: patronBarcode('PB1'), type: 'title', recordId: f.t1, pickupLibraryCode: 'B' });
    expect(hold.target.barcode).toBe(t1Items.B);
    expect((await (await f.staff('B', 'circ')).post('/circulation/scan', { itemBarcode: t1Items.B })).body.notice).toBe('phone-call');
    const res = await (await f.staff('B', 'circ')).get('/libraries/B/phone-calls');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      expect.objectContaining({
        kind: 'hold-ready',
        state: 'pending',
        patron: { barcode: '22000001', name: 'Betty Bishop' },
        phone: '207-555-0101',
        title: 'The Maine Woods',
        hold: { id: hold.id },
        pickupBy: '2025-03-10T21:00:00.000Z',
        createdAt: '2025-03-03T15:00:00.000Z',
        text: expect.stringContaining('Bangor Library'),
      }),
    ]);
    callId = res.body[0].id;
    expect((await (await f.staff('A', 'circ')).get('/libraries/B/phone-calls')).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await f.admin.get('/libraries/B/phone-calls')).body).toHaveLength(1);
    expect((await (await f.staff('A', 'circ')).get('/libraries/A/phone-calls')).body).toEqual([]);
  });

  it('is never sent by the notices job: a call is a task for staff', async () => {
    const { f } = s;
    expect(await runJob(f, 'notices')).toMatchObject({ sent: 0 });
    expect((await (await f.staff('B', 'circ')).get('/libraries/B/phone-calls')).body).toHaveLength(1);
  });

  it("is marked done once, by the pickup library's staff, with the outcome and an event", async () => {
    const { f } = s;
    const b = await f.staff('B', 'circ');
    expect((await (await f.staff('A', 'circ')).post(`/phone-calls/${callId}/done`, { outcome: 'reached' })).body.error.code).toBe('NOT_OWN_LIBRARY');
    expect((await b.post(`/phone-calls/${callId}/done`, { outcome: 'maybe' })).body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'outcome' });
    expect((await b.post('/phone-calls/999999/done', { outcome: 'reached' })).status).toBe(404);
    expect((await (await f.patron('PB1')).post(`/phone-calls/${callId}/done`, { outcome: 'reached' })).status).toBe(403);
    const done = await b.post(`/phone-calls/${callId}/done`, { outcome: 'left-message', note: 'voicemail at home' });
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ id: callId, state: 'done', outcome: 'left-message', note: 'voicemail at home', doneAt: '2025-03-03T15:00:00.000Z' });
    const again = await b.post(`/phone-calls/${callId}/done`, { outcome: 'reached' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVALID_STATE');
    expect((await b.get('/libraries/B/phone-calls')).body).toEqual([]);
    const row = await f.t.connection.db.selectFrom('notices').selectAll().where('id', '=', String(callId)).executeTakeFirstOrThrow();
    const staff = await f.t.connection.db.selectFrom('staff').select('id').where('username', '=', 'b-circ').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'done', outcome: 'left-message', done_by_staff_id: staff.id, sent_at: null });
    const event = await f.t.connection.db.selectFrom('events').selectAll().where('kind', '=', 'phone-call-done').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ staff_id: staff.id, reason: 'left-message', data: { notice: callId, outcome: 'left-message', note: 'voicemail at home', noticeKind: 'hold-ready' } });
    expect((await b.get(`/notices?patron=${patronBarcode('PB1')}`)).body).toEqual([expect.objectContaining({ channel: 'phone-call', state: 'done' })]);
  });
});

describe('retries through an SMTP server that refuses', () => {
  let peer: SmtpPeer;
  let mailer: Mailer;
  beforeAll(async () => {
    peer = await startSmtpPeer();
    peer.answer = () => 'reject';
    mailer = smtpMailer(peer.url, 'notices@cons.example.org');
  });
  afterAll(async () => {
    mailer.close();
    await peer.close();
  });
  const s = withFixture(undefined, { delivery: { mailer: { send: (m) => mailer.send(m), close: () => undefined } } });

  it('keeps the notice pending with a doubling wait, then fails it after the last try', async () => {
    const { f } = s;
    const hold = await pa1ItemOnAsShelf(f);
    const notice = () => f.t.connection.db.selectFrom('notices').selectAll().where('hold_id', '=', hold.id).executeTakeFirstOrThrow();
    expect(await runJob(f, 'notices')).toMatchObject({ channel: 'smtp', sent: 0, retrying: 1 });
    const first = await notice();
    expect(first).toMatchObject({ state: 'pending', attempts: 1, last_error: expect.stringContaining('451'), send_after: new Date('2025-03-03T15:01:00Z'), claimed_until: null });
    // not before its wait is over
    expect(await runJob(f, 'notices')).toMatchObject({ retrying: 0 });
    expect(peer.seen).toHaveLength(1);
    const waits: number[] = [];
    for (let attempt = 2; attempt <= maxAttempts; attempt++) {
      const before = await notice();
      waits.push((before.send_after.getTime() - f.t.clock.now().getTime()) / 60_000);
      f.t.clock.set(before.send_after);
      await runJob(f, 'notices');
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64]);
    const last = await notice();
    expect(last).toMatchObject({ state: 'failed', attempts: maxAttempts, sent_at: null });
    expect(peer.seen).toHaveLength(maxAttempts);
    // every try is the same message
    expect(new Set(peer.seen.map((m) => m.messageId))).toEqual(new Set([`<notice-${last.id}@cons.tamarack>`]));
    f.t.clock.set(new Date(f.t.clock.now().getTime() + 86_400_000));
    expect(await runJob(f, 'notices')).toMatchObject({ sent: 0, retrying: 0, failed: 0 });
    expect(await f.t.connection.db.selectFrom('events').select('reason').where('kind', '=', 'notice-failed').execute()).toEqual([{ reason: last.last_error }]);
    // staff read the server's answer; the patron only that it did not arrive
    expect((await f.admin.get(`/notices?patron=${patronBarcode('PA1')}`)).body[0]).toMatchObject({ state: 'failed', reason: expect.stringContaining('451') });
    expect((await (await f.patron('PA1')).get('/notices')).body[0]).toMatchObject({ state: 'failed', reason: 'The email could not be delivered.' });
  });
});

describe("each library's notice texts", () => {
  const s = withFixture();
  const ready = { subject: 'Ready at {libraryName}: {title}', body: 'Hello {patronName}! Collect "{title}" by {pickupBy}. We are open {hours}.' };

  it("lets the library's administrator word each kind, refusing placeholders the kind cannot fill", async () => {
    const { f } = s;
    const admin = await f.staff('A', 'admin');
    const bad = async (noticeTemplates: unknown) => (await admin.patch('/libraries/A', { noticeTemplates })).body.error;
    expect(await bad({ 'hold-ready': { subject: 'Ready', body: 'Due {dueDate}' } })).toMatchObject({ code: 'INVALID_INPUT', field: 'noticeTemplates.hold-ready.body' });
    expect((await bad({ courtesy: { subject: 'Fine {fine}', body: 'x' } })).message).toMatch(/\{fine\}.*\{dueDate\}/);
    expect(await bad({ reminder: { subject: 'x', body: 'y' } })).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await bad({ overdue: { subject: 'two\nlines', body: 'y' } })).toMatchObject({ code: 'INVALID_INPUT', field: 'noticeTemplates.overdue.subject' });
    expect((await (await f.staff('A', 'circ')).patch('/libraries/A', { noticeTemplates: { 'hold-ready': ready } })).body.error.code).toBe('FORBIDDEN');
    expect((await (await f.staff('B', 'admin')).patch('/libraries/A', { noticeTemplates: { 'hold-ready': ready } })).body.error.code).toBe('NOT_OWN_LIBRARY');

    const saved = await admin.patch('/libraries/A', { noticeTemplates: { 'hold-ready': ready, 'hold-cancelled': { subject: 'Cancelled: {title}', body: '{patronName}: {reason}.' } } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.customNoticeKinds).toEqual(['hold-ready', 'hold-cancelled']);
    expect(saved.body.noticeTemplates['hold-ready']).toEqual(ready);
    expect(saved.body.noticeTemplates.courtesy.subject).toBe('Due soon: {title}');
    expect((await f.t.anonymous.get('/libraries/A')).body.noticeTemplates['hold-ready']).toEqual(ready);
  });

  it("writes every notice in the pickup library's words", async () => {
    const { f } = s;
    const hold = await pa1ItemOnAsShelf(f);
    await runJob(f, 'notices');
    const [mail] = (await (await f.patron('PA1')).get('/notices')).body;
    expect(mail.subject).toBe('Ready at Abbot Library: The Maine Woods');
    expect(mail.text).toMatch(/^Hello Alice Anders! Collect "The Maine Woods" by Monday, March 10(,| at) 5:00\sPM\. We are open Monday–Saturday 09:00–17:00; Sunday closed\.$/);
    expect((await (await f.staff('A', 'circ')).post(`/holds/${hold.id}/cancel`, { reason: 'staff' })).status).toBe(200);
    const cancelled = await f.t.connection.db.selectFrom('notices').select(['subject', 'body']).where('hold_id', '=', hold.id).where('kind', '=', 'hold-cancelled').executeTakeFirstOrThrow();
    expect(cancelled).toEqual({ subject: 'Cancelled: The Maine Woods', body: 'Alice Anders: library staff cancelled it.' });
  });

  it('goes back to the default text for a kind set to null', async () => {
    const { f } = s;
    const res = await (await f.staff('A', 'admin')).patch('/libraries/A', { noticeTemplates: { 'hold-ready': null } });
    expect(res.body.customNoticeKinds).toEqual(['hold-cancelled']);
    expect(res.body.noticeTemplates['hold-ready'].subject).toBe('Your hold is ready: {title}');
  });
});

describe('due notices and the courtesy setting; library messages', () => {
  const s = withFixture();

  it('sends the courtesy notice as many days ahead as the consortium says', async () => {
    const { f } = s;
    // due in 4 days (2025-03-07)
    await f.lend(t1Items.C, { patronBarcode: patronBarcode('PC1'), checkedOutAt: new Date('2025-02-14T15:00:00Z') });
    expect(await runJob(f, 'due-notices')).toMatchObject({ courtesy: 0 });
    expect((await f.admin.patch('/consortium', { courtesyNoticeDays: 31 })).status).toBe(400);
    expect((await f.admin.patch('/consortium', { courtesyNoticeDays: 5 })).body.courtesyNoticeDays).toBe(5);
    expect((await f.staff('C', 'admin').then((c) => c.patch('/consortium', { courtesyNoticeDays: 1 }))).status).toBe(403);
    expect(await runJob(f, 'due-notices')).toMatchObject({ courtesy: 1 });
    const [row] = await f.t.connection.db.selectFrom('notices').selectAll().where('kind', '=', 'courtesy').execute();
    expect(row).toMatchObject({ to_address: 'pc1@example.org', due_date: '2025-03-07', state: 'pending', subject: 'Due soon: The Maine Woods' });
  });

  it('tells a library when an item of its pull list is reported not on the shelf', async () => {
    const { f } = s;
    for (const barcode of [t1Items.B, t1Items.D, t1Items.S1, t1Items.S2]) await f.lend(barcode);
    const hold = await placeHold(await f.staff('B', 'circ'), { patronBarcode: patronBarcode('PB1'), type: 'title', recordId: f.t1, pickupLibraryCode: 'B' });
    expect(hold.target.barcode).toBe(t1Items.A);
    expect((await (await f.staff('A', 'circ')).post(`/holds/${hold.id}/not-on-shelf`)).status).toBe(200);
    const messages = (await (await f.staff('A', 'circ')).get('/libraries/A/messages')).body;
    expect(messages).toEqual([
      expect.objectContaining({
        kind: 'item-missing',
        from: { code: 'A', name: 'Abbot Library' },
        subject: 'Not on shelf: 31000001 "The Maine Woods"',
        hold: { id: hold.id },
        item: { barcode: '31000001' },
        patron: { barcode: '22000001', name: 'Betty Bishop' },
      }),
    ]);
    expect(messages[0].body).toContain(`a-circ (A) could not find 31000001 ("The Maine Woods", F THO) on the shelf for hold ${hold.id} of Betty Bishop (22000001), to pick up at Bangor Library.`);
  });
});
