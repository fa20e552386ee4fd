import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { makeApp, onDatabase, sessionsOf, testDatabase } from './helpers/app.js';
import { mock, MODEL_ENV, type Reply } from './helpers/openai-mock.js';
import { decide, gradeReply, say } from './helpers/replies.js';

const STRONG =
  'DynamoDB replicates every partition across three Availability Zones, and writes succeed once a quorum of replicas persist them, so a node failure loses no data.';

/** The figures a session's summary shows, recomputed from its replay (what the running totals must equal). */
function figuresFromReplay(s: { questions: Array<{ state: string; grade?: { score: number } | null }> }) {
  const scores = s.questions.flatMap((q) => (q.grade ? [q.grade.score] : []));
  return {
    questionCount: s.questions.length,
    gradedCount: scores.length,
    skippedCount: s.questions.filter((q) => q.state === 'skipped').length,
    score: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : null,
  };
}

/** When the migration that adds the running totals was made (its journal entry): what its row in the migrations table records. */
function totalsMigration(sqlite: boolean): number {
  const journal = JSON.parse(readFileSync(`drizzle/${sqlite ? 'sqlite' : 'pg'}/meta/_journal.json`, 'utf8')) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries.find((e) => e.tag.endsWith('_session_totals'))!.when;
}

describe("a session's running totals", () => {
  it('equal what its grades and skips add up to after every turn, in the turn, the replay and the list', async () => {
    const app = makeApp();
    const turn = sessionsOf(app);
    const id = await turn.start({ questionIds: ['amazon-31', 'amazon-32', 'amazon-33', 'amazon-34'], maxFollowUps: 0 });
    const steps = [
      () => app.post(`/api/sessions/${id}/answer`, { text: STRONG }),
      () => app.post(`/api/sessions/${id}/skip`, {}),
      () => app.post(`/api/sessions/${id}/answer`, { text: 'It is a database.' }),
    ];
    for (const step of steps) {
      const res = await step();
      expect(res.status).toBe(200);
      const replay = await turn.get(id);
      const expected = figuresFromReplay(replay);
      expect(res.body.session).toMatchObject(expected);
      expect(replay).toMatchObject(expected);
      const listed = (await app.json('/api/sessions')).body.items.find((s: { id: string }) => s.id === id);
      expect(listed).toMatchObject(expected);
    }
    const replay = await turn.get(id);
    expect(figuresFromReplay(replay)).toMatchObject({ questionCount: 4, gradedCount: 2, skippedCount: 1 });
  });

  it('count a question handed to grading without an answer as skipped when a turn closes it', async () => {
    const app = makeApp();
    const turn = sessionsOf(app);
    const id = await turn.start({ questionIds: ['amazon-31', 'amazon-32'], maxFollowUps: 0 });
    // As a turn cut off between its writes can leave it: the question to grade, with nothing to grade.
    const [first] = await app.deps.store.questions(id);
    await app.deps.store.setQuestionState(first!.id, 'grading');
    const res = await app.post(`/api/sessions/${id}/retry`, {});
    expect(res.status).toBe(200);
    const replay = await turn.get(id);
    expect(replay.questions[0]!.state).toBe('skipped');
    expect(res.body.session).toMatchObject(figuresFromReplay(replay));
    expect(res.body.session).toMatchObject({ skippedCount: 1 });
  });

  it("count the model's tokens of every turn as the database does: the turn's reply, the replay and the list agree", async () => {
    const app = makeApp(MODEL_ENV);
    const turn = sessionsOf(app);
    const id = await turn.start({ questionIds: ['lp-ownership-2', 'amazon-32', 'amazon-51'], maxFollowUps: 1 });
    const steps: Array<[Reply[], () => Promise<{ status: number; body: any }>]> = [
      // A follow-up (its decision's tokens and its own), then a grade and the next question, a skip, the last grade and the closing.
      [
        [decide('followup', 'result'), say('How did it turn out?')],
        () => app.post(`/api/sessions/${id}/answer`, { text: 'I fixed an outage.' }),
      ],
      [
        [gradeReply('star', 3, 'I fixed it'), say('Thanks.')],
        () => app.post(`/api/sessions/${id}/answer`, { text: 'Errors fell to 0.1%.' }),
      ],
      [[say('Next one.')], () => app.post(`/api/sessions/${id}/skip`, {})],
      [
        [decide('next'), gradeReply('system-design', 5), say('That was the last one.')],
        () => app.post(`/api/sessions/${id}/answer`, { text: STRONG }),
      ],
    ];
    let spent = 0;
    for (const [replies, step] of steps) {
      mock.reply(...replies);
      const res = await step();
      expect(res.status).toBe(200);
      const tokens = (await turn.get(id)).tokens;
      expect(tokens.prompt).toBeGreaterThan(spent);
      spent = tokens.prompt;
      expect(res.body.session.tokens).toEqual(tokens);
      const listed = (await app.json('/api/sessions')).body.items.find((s: { id: string }) => s.id === id);
      expect(listed.tokens).toEqual(tokens);
    }
  });

  it("are filled in from a session's stored rows by the migration that adds them", async () => {
    const env = testDatabase({ persistent: true });
    const app = makeApp(env);
    const turn = sessionsOf(app);
    const id = await turn.start({ questionIds: ['amazon-31', 'amazon-32', 'amazon-33'], maxFollowUps: 0 });
    await turn.answer(id, STRONG);
    await app.post(`/api/sessions/${id}/skip`, {});
    const before = figuresFromReplay(await turn.get(id));
    await app.deps.store.close();
    // The database as a mockloop from before the totals left it: no totals, no triggers, the migration not applied.
    const sqlite = Boolean(env.DATABASE_PATH);
    const migrations = sqlite ? '__drizzle_migrations' : `"${env.DATABASE_SCHEMA}"."__drizzle_migrations"`;
    await onDatabase(env, [
      ...[
        'session_totals_question_added',
        'session_totals_question_state',
        'session_totals_grade_added',
        'session_totals_message_added',
      ].map((t) =>
        sqlite
          ? `drop trigger ${t}`
          : `drop trigger ${t} on ${t.includes('question') ? 'session_questions' : t.includes('grade') ? 'grades' : 'messages'}`,
      ),
      ...(sqlite ? [] : ['drop function session_totals_question', 'drop function session_totals_added']),
      ...['question_count', 'skipped_count', 'graded_count', 'score_sum', 'prompt_tokens', 'completion_tokens'].map(
        (c) => `alter table sessions drop column ${c}`,
      ),
      // The totals' migration and those after it are applied again; what those after it made goes first.
      'drop table code_runs',
      'alter table sessions drop column turn_request_id',
      'alter table sessions drop column turn_trace_parent',
      `delete from ${migrations} where created_at >= ${totalsMigration(sqlite)}`,
    ]);
    const again = makeApp(env);
    const replay = await sessionsOf(again).get(id);
    expect(figuresFromReplay(replay)).toEqual(before);
    expect(replay).toMatchObject({ ...before, gradedCount: 1, skippedCount: 1 });
    await again.deps.store.close();
  });
});
