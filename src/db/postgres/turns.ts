import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { SessionMessage } from '../areas/messages.js';
import type { TurnsArea, TurnStart } from '../areas/turns.js';
import type { IdempotencyRow, MessageRow, SessionQuestionRow, SessionRow } from '../rows.js';
import { claimRequestValues, gradeValues, idempotencyValues, messageValues, type SnapshotCache } from '../shared.js';
import { type Conn, placeholders, type PostgresContext, prefixed, turnStatement } from './context.js';
import { grades, idempotencyKeys, messages, sessionQuestions, sessions } from './schema.js';
import { claimOf, releaseOf } from './sessions.js';

const { question: _snapshot, ...questionColumns } = getTableColumns(sessionQuestions);

/** A row that came back as JSON (`row_to_json`): its columns' names turned into the row's keys. */
function fromJson<T>(columns: Record<string, { name: string }>, json: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(columns).map(([key, c]) => [key, json[c.name] ?? null])) as T;
}

const questionList = sql.join(
  Object.values(questionColumns).map((c) => sql.identifier(c.name)),
  sql`, `,
);

/**
 * The questions of session `id` and the messages of the question at `position`, as two JSON
 * arrays; and the snapshots (the questions as asked) of that question and the next, the ones a
 * turn grades and asks, as [id, text] pairs: a replica that has not cached them reads none again.
 */
const turnReads = (id: SQL, position: SQL) => sql`
  (select coalesce(json_agg(row_to_json(q) order by q.position), '[]') from
    (select ${questionList} from session_questions where session_id = ${id}) q) as questions,
  (select coalesce(json_agg(row_to_json(m) order by m.id), '[]') from messages m
    where m.session_question_id = (select id from session_questions where session_id = ${id} and position = ${position})) as messages,
  (select coalesce(json_agg(json_build_array(id, question::text)), '[]') from session_questions
    where session_id = ${id} and position in (${position}, ${position} + 1) and question is not null) as snapshots`;

type Reads = { questions: Record<string, unknown>[]; messages: Record<string, unknown>[]; snapshots: [number, string][] };

function turnStartOf(session: SessionRow, r: Reads, snapshots: SnapshotCache): TurnStart {
  for (const [id, text] of r.snapshots) snapshots.remember(id, text);
  return {
    session,
    questions: r.questions.map((q) => fromJson<SessionQuestionRow>(questionColumns, q)),
    messages: r.messages.map((m) => fromJson<MessageRow>(getTableColumns(messages), m)),
  };
}

const p = sql.placeholder;
const messagePlaceholders = placeholders('m.', {
  sessionId: true,
  sessionQuestionId: true,
  role: true,
  kind: true,
  content: true,
  promptTokens: true,
  completionTokens: true,
  createdAt: true,
} satisfies Record<keyof ReturnType<typeof messageValues>, true>);
const gradePlaceholders = placeholders('g.', {
  sessionId: true,
  sessionQuestionId: true,
  score: true,
  grade: true,
  promptTokens: true,
  completionTokens: true,
  createdAt: true,
} satisfies Record<keyof ReturnType<typeof gradeValues>, true>);
const keyPlaceholders = placeholders('k.', {
  sessionId: true,
  key: true,
  fingerprint: true,
  state: true,
  result: true,
  createdAt: true,
} satisfies Record<keyof ReturnType<typeof idempotencyValues>, true>);

/**
 * A message inserted in a CTE with the writes that go with it (`writes`, each a statement with
 * placeholders); the statement returns it with its number in the session.
 */
const insertWith = (writes: (db: Conn) => SQL[]) =>
  turnStatement<{ message: Record<string, unknown>; number: number }>((db) => {
    const insert = db.insert(messages).values(messagePlaceholders).returning();
    const others = writes(db).map((w, i) => sql`, ${sql.identifier(`w${i}`)} as (${w})`);
    // The statement's own insert is not in its snapshot: the session's messages before it, plus it.
    return sql`
      with m as (${insert.getSQL()})${sql.join(others)}
      select row_to_json(m) as message,
        (select count(*) from messages where session_id = ${messagePlaceholders.sessionId})::int + 1 as number
      from m`;
  });

/** Stores what a turn's Idempotency-Key stands for (an upsert), as a statement to run with others. */
const saveKey = (db: Conn) =>
  db
    .insert(idempotencyKeys)
    .values(keyPlaceholders)
    .onConflictDoUpdate({
      target: [idempotencyKeys.sessionId, idempotencyKeys.key],
      set: { state: sql`excluded.state`, result: sql`excluded.result` },
    })
    .getSQL();

/** A grade's writes, as statements to run with others: the grade, and its question marked graded. */
const gradeWrites = (db: Conn): [SQL, SQL] => [
  db.insert(grades).values(gradePlaceholders).getSQL(),
  db
    .update(sessionQuestions)
    .set({ state: 'graded', doneAt: sql`${gradePlaceholders.createdAt}` })
    .where(eq(sessionQuestions.id, gradePlaceholders.sessionQuestionId))
    .getSQL(),
];

/**
 * The claim (as `claimTurn`, on a session that is the user's when one is given, and not finished)
 * with what the turn reads. The claim waits for a transaction holding the row, then sees its
 * latest version; the reads see the statement's snapshot, taken before. `fresh`: that snapshot
 * already had the claim free (so every write of the turn before is in it); else they are read again.
 */
const claim = turnStatement<Reads & { session: Record<string, unknown>; fresh: boolean; seen: Record<string, unknown> | null }>((db) => {
  const claimed = claimOf(
    db,
    and(sql`(${p('userId')}::text is null or ${sessions.userId} = ${p('userId')})`, sql`${sessions.status} <> 'finished'`),
  ).returning();
  return sql`
    with s as (${claimed.getSQL()})
    select row_to_json(s) as session, ${turnReads(sql`s.id`, sql`s.current_position`)},
      (select turn_claimed_by is null or turn_claimed_by = ${p('owner')} or turn_claimed_until <= ${p('now')}
         from sessions where id = s.id) as fresh,
      (select row_to_json(k) from idempotency_keys k where k.session_id = s.id and k.key = ${p('key')}) as seen
    from s`;
});

const turnStart = turnStatement<Reads>(() => sql`select ${turnReads(sql`${p('id')}`, sql`${p('position')}`)}`);

/** The answer, its question answered (and with `grading`, handed to grading), the session touched. */
const answerWrites = (db: Conn) => [
  db
    .update(sessionQuestions)
    .set({
      answeredAt: sql`coalesce(${sessionQuestions.answeredAt}, ${messagePlaceholders.createdAt})`,
      state: sql`case when ${p('grading')}::boolean then 'grading' else ${sessionQuestions.state} end`,
      doneAt: sql`case when ${p('grading')}::boolean then null else ${sessionQuestions.doneAt} end`,
    })
    .where(eq(sessionQuestions.id, messagePlaceholders.sessionQuestionId))
    .getSQL(),
  db
    .update(sessions)
    .set({ updatedAt: sql`${messagePlaceholders.createdAt}` })
    .where(eq(sessions.id, messagePlaceholders.sessionId))
    .getSQL(),
];
const storeAnswer = insertWith(answerWrites);
const storeAnswerWithKey = insertWith((db) => [...answerWrites(db), saveKey(db)]);

/** The question asked, the session moved on to it. */
const askWrites = (db: Conn) => [
  db
    .update(sessionQuestions)
    .set({ state: 'asked', askedAt: sql`${messagePlaceholders.createdAt}` })
    .where(eq(sessionQuestions.id, messagePlaceholders.sessionQuestionId))
    .getSQL(),
  db
    .update(sessions)
    .set({ currentPosition: sql`${p('position')}`, updatedAt: sql`${messagePlaceholders.createdAt}` })
    .where(eq(sessions.id, messagePlaceholders.sessionId))
    .getSQL(),
];
const askNext = insertWith(askWrites);
const askNextWithGrade = insertWith((db) => [...askWrites(db), ...gradeWrites(db)]);

const storeGrade = turnStatement((db) => {
  const [insert, graded] = gradeWrites(db);
  return sql`with g as (${insert}) ${graded}`;
});

const endTurnWithKey = turnStatement((db) => sql`with k as (${saveKey(db)}) ${releaseOf(db)}`);

const messageOf = (row: { message: Record<string, unknown>; number: number }): SessionMessage => ({
  ...fromJson<MessageRow>(getTableColumns(messages), row.message),
  number: row.number,
});

/** A turn's reads and writes in PostgreSQL, each one statement (`../sqlite/turns.ts` is its twin). */
export const turnsArea = {
  async claimForTurn(sessionId, owner, now, until, userId, key, request) {
    const db = await this.conn();
    const result = await claim(this, db, {
      id: sessionId,
      owner,
      until: until.toISOString(),
      now: now.toISOString(),
      userId: userId ?? null,
      key: key ?? null,
      ...claimRequestValues(request),
    });
    const row = result.rows[0];
    if (!row) return undefined;
    const session = fromJson<SessionRow>(getTableColumns(sessions), row.session);
    const start = row.fresh ? turnStartOf(session, row, this.snapshots) : await this.turnStart(session);
    // A key written by a transaction the claim waited for is not in the snapshot: read again with the rest.
    if (key !== undefined) {
      const seen = row.fresh
        ? row.seen && fromJson<IdempotencyRow>(getTableColumns(idempotencyKeys), row.seen)
        : await this.idempotency(sessionId, key);
      if (seen) start.seen = seen;
    }
    return start;
  },

  async turnStart(session) {
    const db = await this.conn();
    const result = await turnStart(this, db, { id: session.id, position: session.currentPosition });
    return turnStartOf(session, result.rows[0]!, this.snapshots);
  },

  async storeAnswer(m, grading, key) {
    const db = await this.conn();
    const values = { ...prefixed('m.', messageValues(m)), grading };
    const result = key
      ? await storeAnswerWithKey(this, db, { ...values, ...prefixed('k.', idempotencyValues(key)) })
      : await storeAnswer(this, db, values);
    return messageOf(result.rows[0]!);
  },

  async storeGrade(g) {
    const db = await this.conn();
    await storeGrade(this, db, prefixed('g.', gradeValues(g)));
  },

  async askNext(m, position, grade) {
    const db = await this.conn();
    const values = { ...prefixed('m.', messageValues(m)), position };
    const result = grade
      ? await askNextWithGrade(this, db, { ...values, ...prefixed('g.', gradeValues(grade)) })
      : await askNext(this, db, values);
    return messageOf(result.rows[0]!);
  },

  async endTurn(sessionId, owner, key) {
    if (!key) return this.releaseClaim(sessionId, owner);
    const db = await this.conn();
    await endTurnWithKey(this, db, { id: sessionId, owner, ...prefixed('k.', idempotencyValues(key)) });
  },
} satisfies TurnsArea & ThisType<PostgresContext>;
