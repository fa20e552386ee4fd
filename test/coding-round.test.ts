import { afterAll, describe, expect, it } from 'vitest';
import { loadCodingPack } from '../src/coding/pack.js';
import { RUN_BUDGET_TOKENS } from '../src/routes/code.js';
import { makeApp } from './helpers/app.js';
import { mock, MODEL_ENV } from './helpers/openai-mock.js';
import { decide, gradeReply, say } from './helpers/replies.js';

const pack = loadCodingPack();
const pairSum = pack.get('pair-sum')!;
const apps: ReturnType<typeof makeApp>[] = [];
afterAll(async () => {
  for (const app of apps) await app.deps.sandbox.close();
});

function codingApp(env: Record<string, string> = {}) {
  const app = makeApp(env);
  apps.push(app);
  return app;
}

/** Hard-codes the visible tests' answers: right on the examples, wrong everywhere else. */
const HARD_CODED = `function pairSum(nums, target) {
  ${pairSum.tests.visible.map((t) => `if (JSON.stringify(nums) === ${JSON.stringify(JSON.stringify((t.input as { args: unknown[] }).args[0]))}) return ${JSON.stringify(t.expected)};`).join('\n  ')}
  return [0, 1];
}`;
const EXPLAINED =
  'I keep a hash map from each value to its position; for each value I look up target minus it. That is O(n) time and O(n) space, one pass.';

async function start(app: ReturnType<typeof makeApp>, questionIds = ['code-pair-sum', 'amazon-31'], maxFollowUps = 2) {
  const created = await app.post('/api/sessions', { questionIds, maxFollowUps });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

describe('the coding round', () => {
  it('asks the problem with its statement, runs the visible tests, and submits every test without showing hidden inputs', async () => {
    const app = codingApp();
    const id = await start(app);
    const session = (await app.json(`/api/sessions/${id}`)).body;
    expect(session.questions[0]).toMatchObject({ category: 'coding', rubricId: 'coding' });
    expect(session.questions[0].coding).toMatchObject({ problemId: 'pair-sum', title: pairSum.title, starter: pairSum.starter, runs: [] });
    expect(session.questions[0].referenceAnswer).toBeNull();

    const run = await app.post(`/api/sessions/${id}/code/run`, { language: 'javascript', code: HARD_CODED });
    expect(run.status).toBe(200);
    expect(run.body.run).toMatchObject({ number: 1, kind: 'run', passed: true, hidden: { passed: 0, total: 0 } });
    expect(run.body.run.tests.every((t: { hidden: boolean }) => !t.hidden)).toBe(true);

    // A solution that hard-codes the visible tests fails the hidden ones, whose inputs stay hidden.
    const submitted = await app.post(`/api/sessions/${id}/code/submit`, { language: 'javascript', code: HARD_CODED });
    expect(submitted.body.run.passed).toBe(false);
    expect(submitted.body.run.hidden.passed).toBeLessThan(submitted.body.run.hidden.total);
    for (const t of submitted.body.run.tests.filter((t: { hidden: boolean }) => t.hidden)) {
      expect(Object.keys(t).sort()).toEqual(expect.arrayContaining(['hidden', 'index', 'passed']));
      expect(t).not.toHaveProperty('input');
      expect(t).not.toHaveProperty('expected');
    }
    expect(JSON.stringify(submitted.body)).not.toContain(JSON.stringify(pairSum.tests.hidden[0]!.expected).slice(0, 3) + 'zzz');
    const again = await app.post(`/api/sessions/${id}/code/submit`, { language: 'python', code: pairSum.reference.python });
    expect(again.body.run).toMatchObject({ number: 3, kind: 'submit', language: 'python', passed: true, output: '' });
    expect(again.body.run.hidden.passed).toBe(again.body.run.hidden.total);
    expect(again.body.run.growth).toMatchObject({ expected: null });

    // What the code prints is shown for a run, not for a submit (hidden inputs reach the code, which could print them).
    const printing = `${pairSum.reference.javascript}\nconsole.log('printed by the candidate');`;
    const printed = await app.post(`/api/sessions/${id}/code/run`, { language: 'javascript', code: printing });
    expect(printed.body.run.output).toContain('printed by the candidate');
    const silent = await app.post(`/api/sessions/${id}/code/submit`, { language: 'javascript', code: printing });
    expect(silent.body.run.output).toBe('');
    // The exports carry every run's code and results.
    const md = await (await app.request(`/api/sessions/${id}/export?format=md`)).text();
    expect(md).toContain('#### Submit 3 (python');
    expect(md).toContain(pairSum.reference.python.trim().split('\n')[0]!);
    const exported = JSON.parse(await (await app.request(`/api/sessions/${id}/export?format=json`)).text());
    expect(exported.questions[0].coding.runs).toHaveLength(5);
    const replay = (await app.json(`/api/sessions/${id}`)).body.questions[0].coding.runs;
    expect(replay.map((r: { code: string; kind: string }) => [r.kind, r.code])).toEqual([
      ['run', HARD_CODED],
      ['submit', HARD_CODED],
      ['submit', pairSum.reference.python],
      ['run', printing],
      ['submit', printing],
    ]);
  }, 120_000);

  it('asks about complexity, then the edge case a hidden test failed on, then how it would change; and grades on the tests', async () => {
    const app = codingApp();
    const id = await start(app, ['code-pair-sum', 'amazon-31'], 2);
    await app.post(`/api/sessions/${id}/code/submit`, { language: 'javascript', code: HARD_CODED });
    const first = await app.post(`/api/sessions/${id}/answer`, { text: 'I check the examples and return the pair.' });
    expect(first.status).toBe(200);
    const ask1 = first.body.messages.at(-1).content as string;
    expect(ask1).toMatch(/time complexity/i);
    const second = await app.post(`/api/sessions/${id}/answer`, { text: EXPLAINED });
    const ask2 = second.body.messages.at(-1).content as string;
    // A hidden test's edge case, asked as a question: never its input or expected value.
    const failed = pairSum.edgeCases.map((e) => e.ask);
    expect(failed).toContain(ask2);
    const third = await app.post(`/api/sessions/${id}/answer`, {
      text: 'Equal values would pair with themselves; I would look up before storing.',
    });
    const graded = third.body.grades[0]?.grade ?? (await app.json(`/api/sessions/${id}`)).body.questions[0].grade;
    const correctness = graded.criteria.find((c: { id: string }) => c.id === 'correctness');
    // Passes the visible tests but not the hidden ones: the tests decide, whatever was said.
    expect(correctness.score).toBe(3);
    expect(correctness.evidence[0]).toMatch(/hidden tests/);
  }, 120_000);

  it('grades a correct, explained solution higher than the same words with hard-coded code', async () => {
    const scores: number[] = [];
    for (const code of [pairSum.reference.javascript, HARD_CODED]) {
      const app = codingApp();
      const id = await start(app, ['code-pair-sum', 'amazon-31'], 0);
      await app.post(`/api/sessions/${id}/code/submit`, { language: 'javascript', code });
      await app.post(`/api/sessions/${id}/answer`, { text: EXPLAINED });
      scores.push((await app.json(`/api/sessions/${id}`)).body.questions[0].grade.score);
    }
    expect(scores[0]).toBeGreaterThan(scores[1]! + 10);
  }, 120_000);

  it('measures how a submitted solution grows: a brute force is held slower than the problem allows, the reference is not', async () => {
    const app = codingApp();
    const slow = pairSum.wrong.find((w) => w.language === 'javascript' && w.kind === 'too_slow')!.code;
    const growth: Record<string, { measured: string | null; withinExpected: boolean | null }> = {};
    const ids: string[] = [];
    for (const [name, code] of [
      ['slow', slow],
      ['reference', pairSum.reference.javascript],
    ] as const) {
      const id = await start(app, ['code-pair-sum'], 0);
      ids.push(id);
      const run = await app.post(`/api/sessions/${id}/code/submit`, { language: 'javascript', code });
      expect(run.body.run.passed).toBe(true);
      growth[name] = run.body.run.growth;
    }
    expect(growth.slow).toMatchObject({ measured: 'O(n^2)', withinExpected: false });
    expect(growth.reference!.withinExpected).toBe(true);
    // Said to be O(n), measured O(n^2): the grade holds the complexity, which the reference keeps.
    const complexity: number[] = [];
    for (const id of ids) {
      await app.post(`/api/sessions/${id}/answer`, { text: EXPLAINED });
      const grade = (await app.json(`/api/sessions/${id}`)).body.questions[0].grade;
      complexity.push(grade.criteria.find((c: { id: string }) => c.id === 'complexity').score);
    }
    expect(complexity[0]).toBeLessThanOrEqual(2);
    expect(complexity[1]).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it("writes each coding criterion's words for its own score: clean code is not called hard to follow, a slow one is told it was measured", async () => {
    const app = codingApp();
    const slow = pairSum.wrong.find((w) => w.language === 'javascript' && w.kind === 'too_slow')!.code;
    const cards: Array<Record<string, { score: number | null; feedback: string }>> = [];
    for (const code of [pairSum.reference.javascript, slow]) {
      const id = await start(app, ['code-pair-sum'], 0);
      await app.post(`/api/sessions/${id}/code/submit`, { language: 'javascript', code });
      await app.post(`/api/sessions/${id}/answer`, { text: EXPLAINED });
      const grade = (await app.json(`/api/sessions/${id}`)).body.questions[0].grade;
      cards.push(Object.fromEntries(grade.criteria.map((c: { id: string; score: number | null; feedback: string }) => [c.id, c])));
    }
    const [clean, brute] = cards as [(typeof cards)[0], (typeof cards)[0]];
    expect(clean.code_quality!.score).toBeGreaterThanOrEqual(4);
    expect(clean.code_quality!.feedback).not.toMatch(/hard to follow|held to/i);
    expect(clean.complexity!.feedback).not.toMatch(/state the space/i);
    expect(brute.complexity!.score).toBeLessThanOrEqual(2);
    expect(brute.complexity!.feedback).toMatch(/^Measured growth O\(n\^2\)/);
    expect(brute.complexity!.feedback).not.toMatch(/does not state/i);
  }, 120_000);

  it('refuses code for a question that is not a coding problem, an empty body, an unknown language, and code after the question', async () => {
    const app = codingApp();
    const id = await start(app, ['amazon-31', 'code-pair-sum'], 0);
    const notCoding = await app.post(`/api/sessions/${id}/code/run`, { language: 'javascript', code: 'x' });
    expect(notCoding.status).toBe(409);
    expect(notCoding.body.error.message).toMatch(/not a coding problem/);
    expect((await app.post(`/api/sessions/${id}/code/run`, { language: 'ruby', code: 'x' })).status).toBe(400);
    expect((await app.post(`/api/sessions/${id}/code/run`, { language: 'javascript', code: '' })).status).toBe(400);
    expect((await app.post(`/api/sessions/${id}/code/run`, { language: 'javascript', code: 'x'.repeat(50_001) })).status).toBe(400);
    expect((await app.post(`/api/sessions/no-such/code/run`, { language: 'javascript', code: 'x' })).status).toBe(404);
    // The typed client has the routes, their body and their answer.
    const typed = await app.client.api.sessions[':id'].code.run.$post({ param: { id }, json: { language: 'python', code: 'x = 1' } });
    expect(typed.status).toBe(409);
  });

  it('limits runs per user per minute and counts them in the monthly budget, with or without a model', async () => {
    const app = codingApp({ RATE_LIMIT_PER_MINUTE: '2' });
    const id = await start(app);
    const body = { language: 'javascript', code: pairSum.reference.javascript };
    expect((await app.post(`/api/sessions/${id}/code/run`, body)).status).toBe(200);
    expect((await app.post(`/api/sessions/${id}/code/submit`, body)).status).toBe(200);
    const third = await app.post(`/api/sessions/${id}/code/run`, body);
    expect(third.status).toBe(429);
    expect(third.body.error.message).toMatch(/code runs/);
    // A budget of two runs: the third is refused once two are counted.
    const budgeted = codingApp({ USER_TOKEN_BUDGET: String(2 * RUN_BUDGET_TOKENS) });
    const other = await start(budgeted);
    for (let i = 0; i < 2; i++) expect((await budgeted.post(`/api/sessions/${other}/code/run`, body)).status).toBe(200);
    const spent = await budgeted.post(`/api/sessions/${other}/code/run`, body);
    expect(spent.status).toBe(429);
    expect(spent.body.error.code).toBe('budget_exhausted');
  }, 120_000);

  it('with a model, tells the interviewer the failed edge cases by name (never a hidden input), and grades correctness on the tests', async () => {
    const app = codingApp(MODEL_ENV);
    const id = await start(app, ['code-pair-sum', 'amazon-31'], 1);
    await app.post(`/api/sessions/${id}/code/submit`, { language: 'javascript', code: HARD_CODED });
    mock.reply(decide('followup', 'testing'), say('What happens when the two values are the same number?'));
    const asked = await app.post(`/api/sessions/${id}/answer`, { text: EXPLAINED });
    expect(asked.status).toBe(200);
    const [decision, followUp] = [JSON.stringify(mock.requests[0]!.messages), JSON.stringify(mock.requests[1]!.messages)];
    expect(decision).toMatch(/hidden tests/);
    // The failed edge cases reach the model as questions to ask; no hidden test's input does.
    const hiddenInputs = pairSum.tests.hidden.map((t) => JSON.stringify((t.input as { args: unknown[] }).args[0]));
    const failedAsk = pairSum.edgeCases.map((e) => e.ask).find((a) => followUp.includes(a));
    expect(failedAsk).toBeDefined();
    for (const input of hiddenInputs.filter((i) => i.length > 12)) {
      expect(decision).not.toContain(input);
      expect(followUp).not.toContain(input);
    }
    mock.reply(gradeReply('coding', 5, 'hash map'), say('Next question.'));
    const res = await app.post(`/api/sessions/${id}/answer`, {
      text: 'Equal values would pair with themselves, so I look up before I store.',
    });
    expect(res.status).toBe(200);
    const grade = (await app.json(`/api/sessions/${id}`)).body.questions[0].grade;
    // The model said 5 everywhere: the tests say the hidden ones failed.
    expect(grade.criteria.find((c: { id: string }) => c.id === 'correctness').score).toBe(3);
  }, 60_000);
});
