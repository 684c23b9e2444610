import { testAdmin } from './test-database-kind';

// Desk work at full tilt against real server processes: a small consortium seeded over the API,
// then clients — each a circulation desk at one library — placing holds, scanning (check in,
// capture, receive, send on) and checking out on the same few records and items, each request to
// whichever server is up. Every answer is counted, and every action a server answered 2xx is
// recorded, so the test can find it in the database afterwards.

export const loadLibraries = ['A', 'B', 'C', 'S1', 'S2'] as const;
const staffPassword = 'desk-load-password-1';
const returnedMessage = 'Checked in: the loan is closed.';

export interface LoadConsortium {
  recordIds: number[];
  itemBarcodes: string[];
  patronBarcodes: string[];
}

/** What the clients sent and what the servers answered. */
export interface LoadRecord {
  requests: number;
  byStatus: Record<string, number>;
  /** Requests a server answered 5xx: must stay empty. */
  serverErrors: { path: string; status: number; body: string }[];
  /** Requests whose server died under them (kill -9): no answer, so nothing is known of them. */
  cutOff: number;
  /** Holds answered 201. */
  holdIds: number[];
  /** Loans answered 201. */
  loans: { id: number; item: string; patron: string }[];
  /** Scans answered 200 that closed a loan, per item barcode. */
  returns: Map<string, number>;
  /** Checkouts of an item waiting on the holds shelf to its patron, answered 201. */
  holdsPickedUp: number;
  /** Scans answered 200 that put an item on a holds shelf (each queues a notice). */
  holdsShelved: number;
}

export interface Answer {
  status: number;
  body: any;
  cookie: string;
}

export async function call(base: string, method: string, path: string, body?: unknown, cookie?: string): Promise<Answer> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the failure message
  }
  return { status: res.status, body: parsed, cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

async function signIn(base: string, username: string, password: string): Promise<string> {
  const res = await call(base, 'POST', '/auth/login', { username, password });
  if (res.status !== 200) throw new Error(`${username} could not sign in: ${res.status} ${JSON.stringify(res.body)}`);
  return res.cookie;
}

async function created(res: Promise<Answer>, what: string): Promise<any> {
  const answer = await res;
  if (answer.status !== 201) throw new Error(`could not create ${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Libraries A, B, C and system S with S1, S2; a desk account each; `records` titles with a copy at every library; `patrons` patrons who want email. */
export async function seedLoadConsortium(base: string, sizes: { records: number; patrons: number }): Promise<LoadConsortium> {
  const admin = await signIn(base, testAdmin.username, testAdmin.password);
  const post = (path: string, body: unknown) => call(base, 'POST', path, body, admin);
  for (const code of ['A', 'B', 'C', 'S']) {
    await created(post('/libraries', { code, name: `Library ${code}`, email: `desk-${code.toLowerCase()}@libraries.example.org`, ...(code === 'S' ? { kind: 'system' } : {}) }), `library ${code}`);
  }
  for (const code of ['S1', 'S2']) await created(post('/libraries', { code, name: `Branch ${code}`, parentCode: 'S' }), `library ${code}`);
  for (const code of loadLibraries) {
    await created(post('/staff', { username: `${code.toLowerCase()}-desk`, password: staffPassword, libraryCode: code, role: 'circulation' }), `staff of ${code}`);
  }
  const consortium: LoadConsortium = { recordIds: [], itemBarcodes: [], patronBarcodes: [] };
  for (let r = 0; r < sizes.records; r++) {
    const record = await created(post('/records', { title: `Walden, part ${r + 1}`, author: 'Thoreau, Henry David' }), `record ${r}`);
    consortium.recordIds.push(record.id);
    for (const [l, code] of loadLibraries.entries()) {
      const barcode = String(31000000 + r * 100 + l);
      await created(post('/items', { recordId: record.id, libraryCode: code, callNumber: `F THO ${r + 1}`, barcode, catalogedAt: '2024-01-01' }), `item ${barcode}`);
      consortium.itemBarcodes.push(barcode);
    }
  }
  for (let p = 0; p < sizes.patrons; p++) {
    const barcode = String(41000000 + p);
    const home = loadLibraries[p % loadLibraries.length];
    await created(post('/patrons', { barcode, firstName: 'Load', lastName: `Reader${p}`, homeLibraryCode: home, email: `reader${p}@readers.example.org`, notifyBy: ['email'] }), `patron ${barcode}`);
    consortium.patronBarcodes.push(barcode);
  }
  return consortium;
}

export interface LoadOptions {
  /** The servers up now; a client sends each request to one of them at random. */
  servers: () => string[];
  clients: number;
  /** At least this long, and until `until` settles when given (e.g. until the last kill is over). */
  seconds: number;
  until?: Promise<unknown>;
  consortium: LoadConsortium;
}

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)];

export async function runDeskLoad(options: LoadOptions): Promise<LoadRecord> {
  const record: LoadRecord = { requests: 0, byStatus: {}, serverErrors: [], cutOff: 0, holdIds: [], loans: [], returns: new Map(), holdsPickedUp: 0, holdsShelved: 0 };
  const { consortium } = options;
  // items the scans put on a library's holds shelf, with their patron: desks there lend them
  const shelves = new Map<string, { item: string; patron: string }[]>(loadLibraries.map((code) => [code, []]));
  const server = async (): Promise<string> => {
    for (;;) {
      const up = options.servers();
      if (up.length > 0) return pick(up);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const send = async (method: string, path: string, body: unknown, cookie: string): Promise<Answer | undefined> => {
    record.requests++;
    let answer: Answer;
    try {
      answer = await call(await server(), method, path, body, cookie);
    } catch {
      record.cutOff++;
      return undefined;
    }
    record.byStatus[answer.status] = (record.byStatus[answer.status] ?? 0) + 1;
    if (answer.status >= 500) record.serverErrors.push({ path, status: answer.status, body: JSON.stringify(answer.body).slice(0, 500) });
    return answer;
  };

  let untilSettled = options.until === undefined;
  void options.until?.finally(() => (untilSettled = true)).catch(() => undefined);
  const deadline = Date.now() + options.seconds * 1000;
  // a slow machine may not have done each kind of work by the deadline: go on until it has, a while
  const workedEnough = () => record.holdIds.length > 0 && record.loans.length > 0 && record.returns.size > 0 && record.holdsShelved > 0;
  const lastChance = deadline + Math.max(60_000, options.seconds * 1000);
  const going = () => !untilSettled || Date.now() < deadline || (!workedEnough() && Date.now() < lastChance);

  const desk = async (index: number): Promise<void> => {
    const library = loadLibraries[index % loadLibraries.length];
    let cookie: string | undefined;
    while (cookie === undefined) {
      // a kill may cut the sign-in off too: any server will do
      cookie = await signIn(await server(), `${library.toLowerCase()}-desk`, staffPassword).catch((error: Error) => {
        if (!(error instanceof TypeError)) throw error;
        return undefined;
      });
    }
    const shelf = shelves.get(library)!;
    while (going()) {
      const roll = Math.random();
      if (roll < 0.25) {
        const body = { patronBarcode: pick(consortium.patronBarcodes), type: 'title', recordId: pick(consortium.recordIds), pickupLibraryCode: library };
        const res = await send('POST', '/holds', body, cookie);
        if (res?.status === 201) record.holdIds.push(res.body.id);
      } else if (roll < 0.65) {
        const res = await send('POST', '/circulation/scan', { itemBarcode: pick(consortium.itemBarcodes) }, cookie);
        if (res?.status !== 200) continue;
        const barcode: string = res.body.item.barcode;
        if ((res.body.messages as string[]).includes(returnedMessage)) record.returns.set(barcode, (record.returns.get(barcode) ?? 0) + 1);
        if (res.body.action === 'holds-shelf' && res.body.patron) {
          record.holdsShelved++;
          shelf.push({ item: barcode, patron: res.body.patron.barcode });
        }
      } else {
        const waiting = shelf.length > 0 && Math.random() < 0.7 ? shelf.splice(Math.floor(Math.random() * shelf.length), 1)[0] : undefined;
        const body = waiting ? { patronBarcode: waiting.patron, itemBarcode: waiting.item } : { patronBarcode: pick(consortium.patronBarcodes), itemBarcode: pick(consortium.itemBarcodes) };
        const res = await send('POST', '/circulation/checkout', body, cookie);
        if (res?.status !== 201) continue;
        record.loans.push({ id: res.body.loan.id, item: res.body.loan.item.barcode, patron: res.body.loan.patron.barcode });
        if (res.body.fulfilledHoldId !== undefined) record.holdsPickedUp++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, i) => desk(i)));
  return record;
}

/** One line for the test's output: how much was sent and answered. */
export function describeLoad(record: LoadRecord, seconds: number): string {
  const returns = [...record.returns.values()].reduce((a, b) => a + b, 0);
  const statuses = Object.entries(record.byStatus).map(([s, n]) => `${s}: ${n}`).join(', ');
  return `${record.requests} requests in ${seconds.toFixed(1)} s (${(record.requests / seconds).toFixed(0)}/s; ${statuses}; cut off by a kill: ${record.cutOff}); ` +
    `${record.holdIds.length} holds placed, ${record.loans.length} loans (${record.holdsPickedUp} holds picked up), ${returns} returns`;
}
