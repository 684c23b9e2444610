import { readFile } from 'node:fs/promises';
import type { StaffActor } from '../domain/actor';
import { itemProfiles, type ItemProfile } from '../domain/catalog/item-profiles';
import type { StaffRole } from '../domain/roles';
import { importMarc, type ImportProgress, type ImportSummary } from '../services/catalog-import/import-marc';
import { systemClock } from '../services/clock';
import type { Config } from './config';
import { openDatabase } from './server';

// `tamarack import <file> [--library CODE] [--items koha|evergreen|852] [--as USERNAME]`: a MARC
// file (ISO 2709 or MARCXML, gzipped or not; "-" reads standard input) into the catalog. The
// events name a staff account: --as, or else the first consortium administrator.

export const importUsage = 'import <file> [--library CODE] [--items koha|evergreen|852] [--as USERNAME]';

interface ImportArgs {
  file: string;
  library?: string;
  items: ItemProfile | null;
  as?: string;
}

function parseArgs(args: string[]): ImportArgs | string {
  try {
    return parseOrThrow(args);
  } catch (error) {
    return (error as Error).message;
  }
}

function parseOrThrow(args: string[]): ImportArgs | string {
  let file: string | undefined;
  const parsed: Omit<ImportArgs, 'file'> = { items: null };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') ? arg.split('=', 2) : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new Error(`${flag} needs a value.`);
      return v;
    };
    if (flag === '--library') parsed.library = value();
    else if (flag === '--as') parsed.as = value();
    else if (flag === '--items') {
      const profile = value();
      if (!itemProfiles.includes(profile as ItemProfile)) return `--items must be one of ${itemProfiles.join(', ')}, not ${profile}.`;
      parsed.items = profile as ItemProfile;
    } else if (flag.startsWith('--')) return `Unknown option ${flag}.`;
    else if (file === undefined) file = arg;
    else return `One file at a time (got ${file} and ${arg}).`;
  }
  return file === undefined ? 'Which file? Usage: tamarack ' + importUsage : { file, ...parsed };
}

async function readInput(file: string): Promise<Buffer> {
  if (file !== '-') return readFile(file);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** A progress bar on stderr, redrawn in place; only on a terminal, so logs and pipes stay clean. */
function progressBar(started: number): ((p: ImportProgress) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = 0;
  return ({ done, total }) => {
    const now = performance.now();
    if (done < total && now - last < 100) return;
    last = now;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const rate = done / Math.max(0.001, (now - started) / 1000);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor((done / Math.max(1, total)) * 100)}%  ${fmt(done)} / ${fmt(total)} records  ${fmt(Math.round(rate))}/s`;
    process.stderr.write(`\r${line}${done >= total ? '\n' : ''}`);
  };
}

export function summaryLines(summary: ImportSummary, seconds: number): string[] {
  const lines = [
    `Read ${fmt(summary.records)} records in ${seconds.toFixed(1)} s: ${fmt(summary.imported)} imported, ${fmt(summary.updated)} updated, ` +
      `${fmt(summary.unchanged)} unchanged; ${fmt(summary.items)} items added; ${fmt(summary.errorCount)} errors.`,
  ];
  const ignored = Object.entries(summary.ignoredItemFields);
  if (ignored.length > 0) {
    lines.push(`Item fields not imported (${ignored.map(([tag, n]) => `${fmt(n)} × ${tag}`).join(', ')}): choose how they are written with --items ${itemProfiles.join('|')}.`);
  }
  const shown = 20;
  for (const e of summary.errors.slice(0, shown)) lines.push(`  record ${e.record}: ${e.message}`);
  if (summary.errorCount > shown) lines.push(`  … and ${fmt(summary.errorCount - shown)} more errors.`);
  for (const w of summary.warnings.slice(0, 5)) lines.push(`  record ${w.record} (imported): ${w.message}`);
  if (summary.warnings.length > 5) lines.push(`  … and ${fmt(summary.warnings.length - 5)} more records read with a loss.`);
  return lines;
}

export async function importCommand(config: Config, args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    console.error(parsed);
    return 1;
  }
  const bytes = await readInput(parsed.file);
  // as `serve` would: migrated, and on a new database the consortium and its first administrator
  const { connection } = await openDatabase(config, false);
  try {
    let query = connection.db
      .selectFrom('staff')
      .leftJoin('libraries', 'libraries.id', 'staff.library_id')
      .select(['staff.id', 'staff.username', 'staff.role', 'staff.library_id', 'libraries.code'])
      .where('staff.active', '=', true)
      .orderBy('staff.id');
    query = parsed.as ? query.where('staff.username', '=', parsed.as) : query.where('staff.role', '=', 'consortium-admin');
    const staff = await query.executeTakeFirst();
    if (!staff) {
      console.error(parsed.as ? `There is no active staff account ${parsed.as}.` : 'This database has no active consortium administrator: name a staff account with --as.');
      return 1;
    }
    const actor: StaffActor = { kind: 'staff', staffId: staff.id, username: staff.username, role: staff.role as StaffRole, libraryId: staff.library_id, libraryCode: staff.code ?? '' };
    const started = performance.now();
    const result = await importMarc({ db: connection.db, clock: systemClock, actor }, bytes, {
      items: parsed.items,
      library: parsed.library,
      source: parsed.file === '-' ? 'standard input' : parsed.file,
      onProgress: progressBar(started),
    });
    if (!result.ok) {
      console.error(result.refusal.message);
      return 1;
    }
    for (const line of summaryLines(result.value, (performance.now() - started) / 1000)) console.log(line);
    return 0;
  } finally {
    await connection.close();
  }
}
