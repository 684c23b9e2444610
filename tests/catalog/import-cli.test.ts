import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readConfig } from '../../src/cli/config';
import { importCommand } from '../../src/cli/import';
import { marcFile, testRecord } from './sample-catalogs';

// `tamarack import`, on an embedded database of its own in a temporary folder (the command is
// the same on PostgreSQL; the service under it is tested on both).

let dir: string;
let file: string;
const output: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tamarack-import-'));
  file = join(dir, 'records.mrc');
  await writeFile(
    file,
    marcFile(
      testRecord({ id: 'cli-1', source: 'TEST', title: 'First', items: [{ library: 'NOWHERE', barcode: 'cli-i-1' }] }),
      Buffer.from('not a record\u001d'),
      testRecord({ id: 'cli-2', source: 'TEST', title: 'Second' }),
    ),
  );
  vi.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void output.push(line));
});
afterEach(() => void output.splice(0));
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const config = () => ({ ...readConfig({}), dataDir: join(dir, 'data'), adminUser: 'office', adminPassword: 'a long secret password' });

describe('tamarack import', () => {
  it('imports a file, reporting what it did and each record or item it could not take', async () => {
    expect(await importCommand(config(), [file, '--items', 'koha'])).toBe(0);
    expect(output[0]).toMatch(/^Read 3 records in [\d.]+ s: 2 imported, 0 updated, 0 unchanged; 0 items added; 2 errors\.$/u);
    expect(output).toContainEqual(expect.stringMatching(/^ {2}record 1: Item cli-i-1 not imported: "NOWHERE" \(952\) is not a library/u));
    expect(output[2]).toMatch(/^ {2}record 2: The record is shorter than a MARC leader/u);
    output.splice(0);
    expect(await importCommand(config(), [file])).toBe(0);
    expect(output[0]).toMatch(/0 imported, 0 updated, 2 unchanged/u);
    expect(output[1]).toMatch(/Item fields not imported \(1 × 952\): choose .* --items koha\|evergreen\|852/u);
  }, 120_000);

  it('says what is wrong with its arguments', async () => {
    expect(await importCommand(config(), [])).toBe(1);
    expect(output.at(-1)).toMatch(/Which file/u);
    expect(await importCommand(config(), [file, '--items', 'unimarc'])).toBe(1);
    expect(output.at(-1)).toMatch(/--items must be one of koha, evergreen, 852/u);
    expect(await importCommand(config(), [file, '--library'])).toBe(1);
    expect(output.at(-1)).toBe('--library needs a value.');
  });
});
