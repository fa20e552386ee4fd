import { readFileSync } from 'node:fs';

/**
 * mockloop's version, as package.json gives it: read here once, for the traces' `service.version`
 * and the API reference, so a release changes it in one place.
 */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
