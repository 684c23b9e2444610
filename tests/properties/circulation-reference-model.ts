import type { HoldStatus } from '../../src/domain/holds/hold-status';
import { expectedDueDate, localDate, type Closure } from './model-calendar';
import { checkHolds } from './model-hold-checks';
import type { HoldRow, ItemRow, Snapshot } from './model-snapshot';

// The pure reference model of the circulation model test: no I/O. It turns the random commands
// into concrete desk actions, predicts the answer to each from what it knows, and after each step
// compares what it predicted with the database's snapshot. Targeting draws at random, so the model
// does not predict targets; it predicts loans, circulations, due dates and shelf expiries, terminal
// holds, the allowed moves of a hold's status, and what each answer says about its item.

export const loanDays = 21;
export const shelfDays = 7;

export type Command =
  | { op: 'place'; patron: number; pickup: number }
  | { op: 'scan'; item: number; at: number; twice: boolean }
  | { op: 'checkout'; item: number; patron: number; at: number; override: boolean }
  | { op: 'renew'; item: number }
  | { op: 'cancel'; hold: number }
  | { op: 'redirect'; hold: number }
  | { op: 'not-on-shelf'; hold: number }
  /** 0 days: take part again now; more: sit out until that many days from today. */
  | { op: 'suspend'; hold: number; days: number }
  | { op: 'cancel-transit'; item: number }
  | { op: 'clear-shelf'; at: number }
  | { op: 'add-item'; at: number }
  | { op: 'jump'; days: number; hours: number };

/** A command made concrete against the model's state: barcodes, hold ids, library codes. */
export type Action =
  | { op: 'none' }
  | { op: 'place'; patron: string; pickup: string }
  | { op: 'scan'; barcode: string; at: string; twice: boolean }
  | { op: 'checkout'; barcode: string; patron: string; at: string; override: boolean }
  | { op: 'renew'; barcode: string }
  | { op: 'cancel'; hold: number }
  /** `by`: the library whose staff act, or null for the consortium administrator. */
  | { op: 'redirect' | 'not-on-shelf'; hold: number; by: string | null }
  | { op: 'suspend'; hold: number; until: string | null }
  | { op: 'cancel-transit'; barcode: string }
  | { op: 'clear-shelf'; at: string }
  | { op: 'add-item'; barcode: string; at: string }
  | { op: 'jump'; to: Date };

export interface Answer {
  status: number;
  body: any;
  /** The second answer of a scan done twice. */
  again?: { status: number; body: any };
}

export interface ModelLibrary {
  code: string;
  lends: boolean;
}

interface ModelItem {
  owner: string;
  circulations: number;
  loan: { patron: string; library: string; due: string } | null;
}

export interface ModelHold {
  patron: string;
  pickup: string;
  fate: 'fulfilled' | 'cancelled' | null;
  /** Libraries that refused it (redirect, not on shelf): excluded for good. */
  refused: Set<string>;
  suspendedUntil: string | null;
}

export interface Model {
  now: Date;
  libraries: readonly ModelLibrary[];
  patrons: readonly { barcode: string; home: string }[];
  closures: Readonly<Record<string, readonly Closure[]>>;
  items: Map<string, ModelItem>;
  holds: Map<number, ModelHold>;
  /** The database as last observed. */
  seen: Snapshot;
  nextBarcode: number;
}

export function newModel(init: Pick<Model, 'now' | 'libraries' | 'patrons' | 'closures'> & { items: { barcode: string; owner: string }[]; firstNewBarcode: number }): Model {
  const items = new Map(init.items.map((i) => [i.barcode, { owner: i.owner, circulations: 0, loan: null }]));
  const seen = { items: [], holds: [] };
  return { now: init.now, libraries: init.libraries, patrons: init.patrons, closures: init.closures, items, holds: new Map(), seen, nextBarcode: init.firstNewBarcode };
}

const uncaptured: readonly HoldStatus[] = ['waiting', 'targeted', 'suspended'];
export const isOpenStatus = (s: HoldStatus): boolean => s !== 'fulfilled' && s !== 'cancelled';

export const seenItem = (m: Model, barcode: string): ItemRow | undefined => m.seen.items.find((i) => i.barcode === barcode);
export const seenHold = (m: Model, id: number): HoldRow | undefined => m.seen.holds.find((h) => h.id === id);

export function resolve(m: Model, c: Command): Action {
  const barcodes = [...m.items.keys()];
  const holdIds = [...m.holds.keys()];
  const library = (i: number) => m.libraries[i % m.libraries.length].code;
  const hold = (i: number) => holdIds[i % holdIds.length];
  const needsHold = 'hold' in c && holdIds.length === 0;
  if (needsHold) return { op: 'none' };
  switch (c.op) {
    case 'place':
      return { op: 'place', patron: m.patrons[c.patron % m.patrons.length].barcode, pickup: library(c.pickup) };
    case 'scan':
      return { op: 'scan', barcode: barcodes[c.item % barcodes.length], at: library(c.at), twice: c.twice };
    case 'checkout':
      return { op: 'checkout', barcode: barcodes[c.item % barcodes.length], patron: m.patrons[c.patron % m.patrons.length].barcode, at: library(c.at), override: c.override };
    case 'renew':
      return { op: 'renew', barcode: barcodes[c.item % barcodes.length] };
    case 'cancel':
      return { op: 'cancel', hold: hold(c.hold) };
    case 'redirect':
    case 'not-on-shelf': {
      const id = hold(c.hold);
      const target = seenHold(m, id)?.target ?? null;
      return { op: c.op, hold: id, by: target === null ? null : m.items.get(target)!.owner };
    }
    case 'suspend':
      return { op: 'suspend', hold: hold(c.hold), until: c.days === 0 ? null : plusLocalDays(m.now, c.days) };
    case 'cancel-transit':
      return { op: 'cancel-transit', barcode: barcodes[c.item % barcodes.length] };
    case 'clear-shelf':
      return { op: 'clear-shelf', at: library(c.at) };
    case 'add-item':
      return { op: 'add-item', barcode: String(m.nextBarcode), at: library(c.at) };
    case 'jump':
      return { op: 'jump', to: new Date(m.now.getTime() + (c.days * 24 + c.hours) * 3_600_000) };
  }
}

function plusLocalDays(now: Date, days: number): string {
  return localDate(new Date(now.getTime() + days * 86_400_000));
}

const lends = (m: Model, code: string) => m.libraries.find((l) => l.code === code)!.lends;
const openHoldOf = (m: Model, patron: string) => m.seen.holds.find((h) => h.patron === patron && isOpenStatus(h.status));

/** The answer's status the model expects, or null when it cannot tell (targeting's draws decide). */
export function expectedStatus(m: Model, a: Action): number | null {
  switch (a.op) {
    case 'none':
      return 0;
    case 'place': {
      const home = m.patrons.find((p) => p.barcode === a.patron)!.home;
      const allowed = a.pickup === home || (lends(m, a.pickup) && lends(m, home));
      return allowed && !openHoldOf(m, a.patron) ? 201 : 409;
    }
    case 'scan':
    case 'clear-shelf':
    case 'jump':
      return 200;
    case 'add-item':
      return 201;
    case 'checkout': {
      const item = seenItem(m, a.barcode)!;
      if (item.status === 'in-transit' || m.items.get(a.barcode)!.loan) return 409;
      const heldFor = m.seen.holds.find((h) => h.captured === a.barcode && (h.status === 'on-holds-shelf' || h.status === 'in-transit'));
      return heldFor && heldFor.patron !== a.patron && !a.override ? 409 : 201;
    }
    case 'renew':
      return m.items.get(a.barcode)!.loan ? null : 409;
    case 'cancel':
      return isOpenStatus(seenHold(m, a.hold)!.status) ? 200 : 409;
    case 'redirect':
    case 'not-on-shelf':
      return seenHold(m, a.hold)!.status === 'targeted' ? 200 : 409;
    case 'suspend':
      return uncaptured.includes(seenHold(m, a.hold)!.status) ? 200 : 409;
    case 'cancel-transit':
      return seenItem(m, a.barcode)!.status === 'in-transit' ? 200 : 409;
  }
}

/** Learns from a successful answer; answers the problems found in the answer itself. */
export function learn(m: Model, a: Action, answer: Answer): string[] {
  const problems: string[] = [];
  if (answer.status >= 300) return problems;
  switch (a.op) {
    case 'place':
      m.holds.set(answer.body.id, { patron: a.patron, pickup: a.pickup, fate: null, refused: new Set(), suspendedUntil: null });
      break;
    case 'checkout': {
      const item = m.items.get(a.barcode)!;
      const due = expectedDueDate(m.now, loanDays, m.closures[a.at] ?? []);
      if (answer.body.loan.dueDate !== due) problems.push(`due date ${answer.body.loan.dueDate}, expected ${due}`);
      item.loan = { patron: a.patron, library: a.at, due: answer.body.loan.dueDate };
      item.circulations++;
      const own = openHoldOf(m, a.patron);
      const fills = own && (own.captured === null || own.captured === a.barcode) ? own.id : undefined;
      if (answer.body.fulfilledHoldId !== fills) problems.push(`fulfilled hold ${answer.body.fulfilledHoldId}, expected ${fills}`);
      if (fills !== undefined) m.holds.get(fills)!.fate = 'fulfilled';
      break;
    }
    case 'renew': {
      const item = m.items.get(a.barcode)!;
      const loan = item.loan!;
      const fromToday = expectedDueDate(m.now, loanDays, m.closures[loan.library] ?? []);
      const due = fromToday > loan.due ? fromToday : loan.due;
      if (answer.body.loan.dueDate !== due) problems.push(`renewed to ${answer.body.loan.dueDate}, expected ${due}`);
      loan.due = answer.body.loan.dueDate;
      item.circulations++;
      break;
    }
    case 'scan':
      m.items.get(a.barcode)!.loan = null;
      if (answer.again && (answer.again.status !== answer.status || answer.again.body.action !== answer.body.action || answer.again.body.destination?.code !== answer.body.destination?.code)) {
        problems.push(`the second scan answered ${answer.again.body.action} ${answer.again.body.destination?.code ?? ''}, the first ${answer.body.action} ${answer.body.destination?.code ?? ''}`);
      }
      break;
    case 'cancel':
      m.holds.get(a.hold)!.fate = 'cancelled';
      break;
    case 'redirect':
    case 'not-on-shelf':
      if (a.by !== null) m.holds.get(a.hold)!.refused.add(a.by);
      break;
    case 'suspend':
      m.holds.get(a.hold)!.suspendedUntil = a.until;
      break;
    case 'add-item':
      m.items.set(a.barcode, { owner: a.at, circulations: 0, loan: null });
      m.nextBarcode++;
      break;
    case 'jump':
      m.now = a.to;
      break;
    case 'none':
    case 'cancel-transit':
    case 'clear-shelf':
      break;
  }
  return problems;
}

/** What the answer says about its item, as the snapshot must show it. */
function checkAnsweredItem(a: Action, answer: Answer, item: ItemRow): string[] {
  const is = (status: string, at?: string) => (item.status === status && (at === undefined || item.at === at) ? [] : [`${item.barcode} is ${item.status} at ${item.at}, expected ${status}${at ? ` at ${at}` : ''}`]);
  switch (a.op) {
    case 'scan': {
      const action = answer.body.action;
      if (action === 'shelve') return is('available', a.at);
      if (action === 'holds-shelf') return is('on-holds-shelf', a.at);
      const to = answer.body.destination?.code;
      return [...is('in-transit'), ...(item.transitTo === to ? [] : [`${item.barcode} travels to ${item.transitTo}, the answer says ${to}`])];
    }
    case 'checkout':
      return is('checked-out', a.at);
    case 'not-on-shelf':
      return [];
    case 'cancel-transit':
      return is('transit-cancelled');
    case 'add-item':
      return is('available', a.at);
    default:
      return [];
  }
}

/** Compares the snapshot after a step with the model; then takes it as the last one seen. */
export function observe(m: Model, a: Action, answer: Answer, now: Snapshot): string[] {
  const problems: string[] = [];
  const rows = new Map(now.items.map((i) => [i.barcode, i]));
  for (const [barcode, item] of m.items) {
    const row = rows.get(barcode);
    if (!row) {
      problems.push(`item ${barcode} is gone`);
      continue;
    }
    if (row.circulations !== item.circulations) problems.push(`${barcode} counts ${row.circulations} circulations, the model ${item.circulations}`);
    const loan = item.loan;
    if (row.loanPatron !== (loan?.patron ?? null) || row.loanLibrary !== (loan?.library ?? null) || row.due !== (loan?.due ?? null)) {
      problems.push(`${barcode} is on loan to ${row.loanPatron} from ${row.loanLibrary} due ${row.due}, the model says ${JSON.stringify(loan)}`);
    }
  }
  if (now.items.length !== m.items.size) problems.push(`${now.items.length} items, the model knows ${m.items.size}`);
  if (answer.status < 300) {
    const barcode = 'barcode' in a ? a.barcode : a.op === 'not-on-shelf' ? seenHold(m, a.hold)?.target : undefined;
    const row = barcode ? rows.get(barcode) : undefined;
    if (row) problems.push(...checkAnsweredItem(a, answer, row));
    if (a.op === 'not-on-shelf' && row && row.status !== 'missing') problems.push(`${row.barcode} was not on the shelf but is ${row.status}`);
  }
  problems.push(...checkHolds(m, a, answer, now));
  m.seen = now;
  return problems;
}
