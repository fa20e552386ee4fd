import { and, eq, getTableColumns, sql, type SQL } from 'drizzle-orm';
import type { NewGrade } from '../areas/grades.js';
import type { SessionMessage } from '../areas/messages.js';
import type { TurnsArea, TurnStart } from '../areas/turns.js';
import type { IdempotencyRow, MessageRow, SessionQuestionRow, SessionRow } from '../rows.js';
import type { NewIdempotencyKey } from '../areas/sessions.js';
import { gradeValues, idempotencyValues, messageValues, type SnapshotCache } from '../shared.js';
import { type Conn, type PostgresContext, runTurnStatement } from './context.js';
import { grades, idempotencyKeys, messages, sessionQuestions, sessions } from './schema.js';

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

/** Inserts a message in a CTE with the writes that go with it; returns it with its number in the session. */
async function insertWith(
  ctx: PostgresContext,
  db: Conn,
  m: Parameters<typeof messageValues>[0],
  ...writes: SQL[]
): Promise<SessionMessage> {
  const insert = db.insert(messages).values(messageValues(m)).returning();
  const others = writes.map((w, i) => sql`, ${sql.identifier(`w${i}`)} as (${w})`);
  // The statement's own insert is not in its snapshot: the session's messages before it, plus it.
  const result = await runTurnStatement<{ message: Record<string, unknown>; number: number }>(
    ctx,
    db,
    sql`
    with m as (${insert.getSQL()})${sql.join(others)}
    select row_to_json(m) as message,
      (select count(*) from messages where session_id = ${m.sessionId})::int + 1 as number
    from m`,
  );
  const row = result.rows[0]!;
  return { ...fromJson<MessageRow>(getTableColumns(messages), row.message), number: row.number };
}

/** Stores what a turn's Idempotency-Key stands for (an upsert), as a statement to run with others. */
function saveKey(db: Conn, key: NewIdempotencyKey): SQL {
  const values = idempotencyValues(key);
  return db
    .insert(idempotencyKeys)
    .values(values)
    .onConflictDoUpdate({ target: [idempotencyKeys.sessionId, idempotencyKeys.key], set: { state: values.state, result: values.result } })
    .getSQL();
}

/** A grade's writes, as statements to run with others: the grade, and its question marked graded. */
function gradeWrites(db: Conn, g: NewGrade): [SQL, SQL] {
  return [
    db.insert(grades).values(gradeValues(g)).getSQL(),
    db
      .update(sessionQuestions)
      .set({ state: 'graded', doneAt: g.at.toISOString() })
      .where(eq(sessionQuestions.id, g.sessionQuestionId))
      .getSQL(),
  ];
}

/** A turn's reads and writes in PostgreSQL, each one statement (`../sqlite/turns.ts` is its twin). */
export const turnsArea = {
  async claimForTurn(sessionId, owner, now, until, userId, key) {
    const db = await this.conn();
    const claim = db
      .update(sessions)
      .set({ turnClaimedBy: owner, turnClaimedUntil: until.toISOString() })
      .where(
        and(
          eq(sessions.id, sessionId),
          userId === undefined ? undefined : eq(sessions.userId, userId),
          sql`${sessions.status} <> 'finished'`,
          sql`(${sessions.turnClaimedBy} is null or ${sessions.turnClaimedBy} = ${owner} or ${sessions.turnClaimedUntil} <= ${now.toISOString()})`,
        ),
      )
      .returning();
    // The claim waits for a transaction holding the row, then sees its latest version; the reads
    // see the statement's snapshot, taken before. `fresh`: that snapshot already had the claim free
    // (so every write of the turn before is in it); else they are read again.
    const seen =
      key === undefined ? sql`null` : sql`(select row_to_json(k) from idempotency_keys k where k.session_id = s.id and k.key = ${key})`;
    const result = await runTurnStatement<
      Reads & { session: Record<string, unknown>; fresh: boolean; seen: Record<string, unknown> | null }
    >(
      this,
      db,
      sql`
      with s as (${claim.getSQL()})
      select row_to_json(s) as session, ${turnReads(sql`s.id`, sql`s.current_position`)},
        (select turn_claimed_by is null or turn_claimed_by = ${owner} or turn_claimed_until <= ${now.toISOString()}
           from sessions where id = s.id) as fresh,
        ${seen} as seen
      from s`,
    );
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
    const result = await runTurnStatement<Reads>(this, db, sql`select ${turnReads(sql`${session.id}`, sql`${session.currentPosition}`)}`);
    return turnStartOf(session, result.rows[0]!, this.snapshots);
  },

  async storeAnswer(m, grading, key) {
    const db = await this.conn();
    const at = m.at.toISOString();
    return insertWith(
      this,
      db,
      m,
      db
        .update(sessionQuestions)
        .set({
          answeredAt: sql`coalesce(${sessionQuestions.answeredAt}, ${at})`,
          ...(grading && { state: 'grading' as const, doneAt: null }),
        })
        .where(eq(sessionQuestions.id, m.sessionQuestionId))
        .getSQL(),
      db.update(sessions).set({ updatedAt: at }).where(eq(sessions.id, m.sessionId)).getSQL(),
      ...(key ? [saveKey(db, key)] : []),
    );
  },

  async storeGrade(g) {
    const db = await this.conn();
    const [insert, graded] = gradeWrites(db, g);
    await runTurnStatement(this, db, sql`with g as (${insert}) ${graded}`);
  },

  async askNext(m, position, grade) {
    const db = await this.conn();
    const at = m.at.toISOString();
    return insertWith(
      this,
      db,
      m,
      db.update(sessionQuestions).set({ state: 'asked', askedAt: at }).where(eq(sessionQuestions.id, m.sessionQuestionId)).getSQL(),
      db.update(sessions).set({ currentPosition: position, updatedAt: at }).where(eq(sessions.id, m.sessionId)).getSQL(),
      ...(grade ? gradeWrites(db, grade) : []),
    );
  },

  async endTurn(sessionId, owner, key) {
    const db = await this.conn();
    const release = db
      .update(sessions)
      .set({ turnClaimedBy: null, turnClaimedUntil: null })
      .where(and(eq(sessions.id, sessionId), eq(sessions.turnClaimedBy, owner)));
    await runTurnStatement(this, db, key ? sql`with k as (${saveKey(db, key)}) ${release.getSQL()}` : release.getSQL());
  },
} satisfies TurnsArea & ThisType<PostgresContext>;
