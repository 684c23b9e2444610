import { ensureWebBuilt } from '../src/http/web-build';

// `npm run build:web` (always builds) and the prestart/preserve/pretest scripts (build only when
// web/dist is missing or older than the sources).
const force = process.argv.includes('--force');
const state = await ensureWebBuilt({ force });
if (state === 'no-sources') console.log('No web app sources (web/index.html): nothing to build.');
