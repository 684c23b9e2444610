import { backupCommand, restoreCommand } from './backup';
import { readConfig } from './config';
import { demoCommand } from './demo';
import { importCommand, importUsage } from './import';
import { migrateCommand, serveCommand } from './serve';

const usage = `Usage: tamarack <command>

  serve             start the API on PORT (default 3000)
  demo              the same, seeded with the demo consortium when the database is empty
  migrate           apply database migrations and exit
  ${importUsage}
                    add MARC records (and their items) to the catalog, or update those imported before
  backup <file>     write the embedded database to a file (stop the server first)
  restore <file>    unpack a backup into an empty TAMARACK_DATA_DIR

Configuration comes from the environment: DATABASE_URL, TAMARACK_DATA_DIR, PORT,
TAMARACK_ADMIN_USER, TAMARACK_ADMIN_PASSWORD, TAMARACK_TEST_CLOCK, SMTP_URL, MAIL_FROM
(see README).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const config = readConfig();
  switch (command) {
    case 'serve':
      return serveCommand(config);
    case 'demo':
      return demoCommand(config);
    case 'migrate':
      return migrateCommand(config);
    case 'import':
      return importCommand(config, args);
    case 'backup':
      return backupCommand(config, args);
    case 'restore':
      return restoreCommand(config, args);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(usage);
      return command === undefined ? 1 : 0;
    default:
      console.error(`Unknown command: ${command}\n\n${usage}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.argv[2] !== 'serve' && process.argv[2] !== 'demo') process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
