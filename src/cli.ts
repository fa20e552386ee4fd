import { createReadStream, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { Accounts } from './accounts/accounts.js';
import { importGuide } from './bank/importer.js';
import { BANK_DIR, readBankDir } from './bank/load.js';
import { loadConfig } from './config.js';
import { openStore } from './db/open.js';
import type { Store } from './db/store.js';
import { AppError, isAppError, UsageError } from './errors.js';
import { Level } from './grading/levels.js';
import { loadRubrics } from './grading/rubrics.js';
import { LEVELS } from './shapes.js';
import { createGrader, gradeTarget, resolveGradeInput } from './grading/service.js';
import { RUBRICS_DIR } from './start.js';

const USAGE = `Usage:
  npm run -s cli -- bank import <file> [--source NAME] [--out FILE] [--title TEXT]
      Parse a numbered Q&A guide into a bank file (default: src/bank/data/<source>.json);
      --title names the guide in the file (default: the file name).
  npm run -s cli -- grade --question <id> [--provider offline|openai] [--level L4|L5|L6|L7] < answer.txt
      Grade the answer on stdin against the bar of the level (default L5); prints the Grade as JSON.
  npm run -s cli -- grade --batch <file.jsonl> [--provider offline|openai] [--level L4|L5|L6|L7]
      One {"id", "questionId" | "question"+"referenceAnswer"+"rubricId", "answer"} per line in;
      one JSON line per input out ({id, questionId, score, overall, verdict, flags} or {id, line, error}).
  npm run -s cli -- user add <name> | user list | user remove <name> [--delete-sessions | --hand-over-to <name>]
      The people of a shared mockloop (AUTH=token); names are the same whatever their case. Removing one
      ends their tokens and sign-ins; their sessions are deleted or handed over (with sessions, one is needed).
  npm run -s cli -- session list --user <name> | session delete <id>
      A user's sessions, newest first; delete one and everything in it.
  npm run -s cli -- token create --user <name> [--name LABEL] [--expires DAYS] | token list [--user NAME] | token revoke <id|prefix>
      API tokens: shown once when created, stored only as a hash.
`;

/** Runs `fn` on the database DATABASE_URL or DATABASE_PATH names, opened with the same checks as the server. */
async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(loadConfig().database);
  try {
    await store.ready;
    return await fn(store);
  } finally {
    await store.close();
  }
}

const withAccounts = <T>(fn: (accounts: Accounts) => Promise<T>) => withStore((store) => fn(new Accounts(store)));

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

function users(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { 'delete-sessions': { type: 'boolean' }, 'hand-over-to': { type: 'string' } },
  });
  const [command, name, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected "${extra.join(' ')}"`);
  if (command === 'add' && name) return withAccounts(async (accounts) => print(await accounts.addUser(name)));
  if (command === 'list' && !name) return withAccounts(async (accounts) => print(await accounts.listUsers()));
  if (command === 'remove' && name) {
    const to = values['hand-over-to'];
    if (values['delete-sessions'] && to) throw new UsageError('say either --delete-sessions or --hand-over-to, not both');
    return withAccounts(async (accounts) => {
      const { sessions } = await accounts.removeUser(name, values['delete-sessions'] ? 'delete' : to ? { handOverTo: to } : undefined);
      process.stderr.write(
        `Removed user ${name} and their tokens${sessions ? `; ${sessions} session(s) ${to ? `handed over to ${to}` : 'deleted'}` : ''}\n`,
      );
    });
  }
  throw new UsageError('user needs: add <name> | list | remove <name> [--delete-sessions | --hand-over-to <name>]');
}

function sessions(args: string[]) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { user: { type: 'string' } } });
  const [command, id, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected "${extra.join(' ')}"`);
  if (command === 'list' && !id && values.user) {
    return withAccounts(async (accounts) => {
      const user = await accounts.requireUser(values.user!);
      print(await accounts.sessionIdsOf(user.id));
    });
  }
  if (command === 'delete' && id) {
    return withStore(async (store) => {
      if (!(await store.deleteSession(id))) throw new AppError('not_found', `No session with id "${id}"`);
      process.stderr.write(`Deleted session ${id}\n`);
    });
  }
  throw new UsageError('session needs: list --user <name> | delete <id>');
}

function tokens(args: string[]) {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { user: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string' } },
  });
  const [command, id, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected "${extra.join(' ')}"`);
  if (command === 'create' && !id) {
    const user = values.user;
    if (!user) throw new UsageError('token create needs --user <name>');
    const days = values.expires === undefined ? undefined : Number(values.expires);
    if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= 3650)) {
      throw new UsageError(`--expires must be a whole number of days from 1 to 3650 (got "${values.expires}")`);
    }
    return withAccounts(async (accounts) => {
      const { token, info } = await accounts.createToken(user, { name: values.name, expiresInDays: days });
      process.stderr.write(`Token for ${info.user}: it is shown this once, keep it now\n`);
      print({ token, ...info });
    });
  }
  if (command === 'list' && !id) return withAccounts(async (accounts) => print(await accounts.listTokens(values.user)));
  if (command === 'revoke' && id) return withAccounts(async (accounts) => print(await accounts.revokeToken(id)));
  throw new UsageError('token needs: create --user <name> [--name LABEL] [--expires DAYS] | list [--user NAME] | revoke <id|prefix>');
}

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
  process.stderr.write(
    `Imported ${entries.length} questions into ${out} (${Object.entries(byCategory)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})\n`,
  );
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('grade --question reads the answer from stdin: pipe it in (… < answer.txt)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function grade(args: string[]) {
  const { values } = parseArgs({
    args,
    options: { question: { type: 'string' }, batch: { type: 'string' }, provider: { type: 'string' }, level: { type: 'string' } },
  });
  const level = values.level === undefined ? undefined : Level.safeParse(values.level).data;
  if (values.level !== undefined && !level) throw new UsageError(`--level must be one of ${LEVELS.join(', ')} (got "${values.level}")`);
  if (values.provider !== undefined && values.provider !== 'offline' && values.provider !== 'openai') {
    throw new UsageError(`--provider must be offline or openai (got "${values.provider}")`);
  }
  if (!values.question === !values.batch) throw new UsageError('grade needs exactly one of --question <id> or --batch <file.jsonl>');
  const config = loadConfig();
  const grader = createGrader(config, (values.provider as 'offline' | 'openai' | undefined) ?? config.provider);
  const rubrics = loadRubrics(RUBRICS_DIR);
  const bank = new Map(readBankDir().map((e) => [e.id, e]));
  const find = (id: string) => bank.get(id);

  if (values.question) {
    const input = { ...resolveGradeInput(find, rubrics, { questionId: values.question }, await readStdin()), level };
    const { grade: result } = await grader.grade(input);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }

  const file = values.batch!;
  const stream = createReadStream(file, 'utf8');
  const opened = new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) =>
      reject(new UsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`)),
    );
  });
  await opened;
  let lineNo = 0;
  let failures = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '') continue;
    let id: unknown;
    try {
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (e) {
        throw new AppError('bad_request', `line ${lineNo} is not valid JSON: ${(e as Error).message}`);
      }
      if (typeof row !== 'object' || row === null || Array.isArray(row))
        throw new AppError('bad_request', `line ${lineNo} is not a JSON object`);
      const body = row as Record<string, unknown>;
      id = body.id;
      const input = { ...resolveGradeInput(find, rubrics, gradeTarget(body), body.answer), level };
      const { grade: g } = await grader.grade(input);
      process.stdout.write(
        `${JSON.stringify({ id: id ?? null, questionId: g.questionId, score: g.score, overall: g.overall, verdict: g.verdict, flags: g.flags, grader: g.grader })}\n`,
      );
    } catch (e) {
      failures++;
      const error = isAppError(e) ? { code: e.code, message: e.message } : { code: 'internal', message: (e as Error).message };
      process.stdout.write(`${JSON.stringify({ id: id ?? null, line: lineNo, error })}\n`);
    }
  }
  if (failures) {
    process.stderr.write(`${failures} of the lines could not be graded (see their "error")\n`);
    process.exitCode = 1;
  }
}

async function main(argv: string[]) {
  const [group, command, ...rest] = argv;
  if (group === 'bank' && command === 'import') return bankImport(rest);
  if (group === 'grade') return grade([command, ...rest].filter((x): x is string => x !== undefined));
  if (group === 'user') return users([command, ...rest].filter((x): x is string => x !== undefined));
  if (group === 'token') return tokens([command, ...rest].filter((x): x is string => x !== undefined));
  if (group === 'session') return sessions([command, ...rest].filter((x): x is string => x !== undefined));
  if (group === undefined || group === 'help' || group === '--help') {
    process.stdout.write(USAGE);
    return;
  }
  throw new UsageError(`unknown command "${[group, command].filter(Boolean).join(' ')}"`);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof UsageError) process.stderr.write(`error: ${e.message}\n\n${USAGE}`);
  else if (isAppError(e) || isArgumentError(e)) process.stderr.write(`error: ${e.message}\n`);
  else process.stderr.write(`error: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exitCode = e instanceof UsageError || isArgumentError(e) ? 2 : 1;
});

/** node:util parseArgs rejects unknown or malformed options with a TypeError carrying an ERR_PARSE_ARGS_* code. */
function isArgumentError(e: unknown): e is TypeError {
  return e instanceof TypeError && String((e as NodeJS.ErrnoException).code ?? '').startsWith('ERR_PARSE_ARGS');
}
