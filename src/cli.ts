import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { importGuide } from './bank/importer.js';
import { BANK_DIR } from './bank/load.js';
import { isAppError } from './errors.js';

const USAGE = `Usage:
  npm run -s cli -- bank import <file> [--source NAME] [--out FILE]
      Parse a numbered Q&A guide into a bank file (default: src/bank/data/<source>.json).
`;

class UsageError extends Error {}

async function bankImport(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { source: { type: 'string', default: 'amazon' }, out: { type: 'string' }, title: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file) throw new UsageError('bank import needs the guide file to read');
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  });
  const entries = importGuide(text, { source: values.source });
  const out = values.out ?? join(BANK_DIR, `${values.source}.json`);
  const bank = { source: values.source, title: values.title ?? file.split('/').pop(), entries };
  writeFileSync(out, `${JSON.stringify(bank, null, 2)}\n`);
  const byCategory = entries.reduce<Record<string, number>>((m, e) => ((m[e.category] = (m[e.category] ?? 0) + 1), m), {});
  process.stderr.write(`Imported ${entries.length} questions into ${out} (${Object.entries(byCategory).map(([k, v]) => `${k} ${v}`).join(', ')})\n`);
}

async function main(argv: string[]) {
  const [group, command, ...rest] = argv;
  if (group === 'bank' && command === 'import') return bankImport(rest);
  if (group === undefined || group === 'help' || group === '--help') {
    process.stdout.write(USAGE);
    return;
  }
  throw new UsageError(`unknown command "${[group, command].filter(Boolean).join(' ')}"`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) process.stderr.write(`error: ${e.message}\n\n${USAGE}`);
  else if (isAppError(e) || e instanceof TypeError) process.stderr.write(`error: ${(e as Error).message}\n`);
  else process.stderr.write(`error: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
});
