import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as schema from './migrations/001-schema';
import * as libraryFactsVersion from './migrations/002-library-facts-version';
import * as reportIndex from './migrations/003-report-index';
import * as noticeSettings from './migrations/004-notice-settings';
import * as catalogSearch from './migrations/005-catalog-search';
import * as scanSnapshot from './migrations/006-scan-snapshot';
import * as scanSnapshotByItem from './migrations/007-scan-snapshot-by-item';
import * as deskFunctions from './migrations/008-desk-functions';
import * as catalogSearchAtScale from './migrations/009-catalog-search-at-scale';
import * as fewerItemIndexes from './migrations/010-fewer-item-indexes';
import * as scanByRowVersions from './migrations/011-scan-by-row-versions';
import * as pullListIndex from './migrations/012-pull-list-index';
import * as sessionChanges from './migrations/013-session-changes';
import * as explanationsAsText from './migrations/014-explanations-as-text';
import * as pullListOrder from './migrations/015-pull-list-order';
import * as eventsPlainReferences from './migrations/016-events-plain-references';

// Migrations are listed in code, not read from a folder, so they run the same from sources,
// from tests and from the installed command.
const migrations: Record<string, Migration> = {
  '001-schema': schema,
  '002-library-facts-version': libraryFactsVersion,
  '003-report-index': reportIndex,
  '004-notice-settings': noticeSettings,
  '005-catalog-search': catalogSearch,
  '006-scan-snapshot': scanSnapshot,
  '007-scan-snapshot-by-item': scanSnapshotByItem,
  '008-desk-functions': deskFunctions,
  '009-catalog-search-at-scale': catalogSearchAtScale,
  '010-fewer-item-indexes': fewerItemIndexes,
  '011-scan-by-row-versions': scanByRowVersions,
  '012-pull-list-index': pullListIndex,
  '013-session-changes': sessionChanges,
  '014-explanations-as-text': explanationsAsText,
  '015-pull-list-order': pullListOrder,
  '016-events-plain-references': eventsPlainReferences,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
