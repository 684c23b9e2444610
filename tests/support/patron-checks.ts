import type { TestApp } from './test-app';

// What patron tests read straight from the database to check what the API did.
export function patronChecks(t: () => TestApp) {
  const patronRow = (barcode: string) => t().connection.db.selectFrom('patrons').selectAll().where('barcode', '=', barcode).executeTakeFirst();
  return {
    patronRow,
    async libraryId(code: string): Promise<number> {
      return (await t().connection.db.selectFrom('libraries').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
    },
    async eventsOf(barcode: string) {
      const patron = await patronRow(barcode);
      return t().connection.db.selectFrom('events').selectAll().where('patron_id', '=', patron!.id).orderBy('id').execute();
    },
    async loginStatus(username: string, password: string): Promise<number> {
      return (await t().anonymous.post('/auth/login', { username, password })).status;
    },
  };
}
