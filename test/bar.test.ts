import { describe, expect, it } from 'vitest';
import { readBankDir } from '../src/bank/load.js';
import { loadConfig } from '../src/config.js';
import { settleBar } from '../src/grading/bar.js';
import type { Level } from '../src/grading/levels.js';
import { gradeOffline } from '../src/grading/offline/index.js';
import { checkScorers } from '../src/grading/offline/scorers/index.js';
import { loadRubrics } from '../src/grading/rubrics.js';
import { createGrader, inputForQuestion } from '../src/grading/service.js';
import { RUBRICS_DIR } from '../src/start.js';
import { mock, MODEL_ENV } from './helpers/openai-mock.js';
import { gradeReply } from './helpers/replies.js';
import { makeApp } from './helpers/app.js';

const rubrics = loadRubrics(RUBRICS_DIR);
const bank = new Map(readBankDir().map((e) => [e.id, e]));

/** A strong story at SDE I scope: one engineer's own bug, found and fixed well, with a figure. */
const SDE_I_STORY =
  'In my first year on the checkout team, our nightly order export job started failing about twice a week and everyone assumed it was the flaky network. ' +
  'My task was to find out why, because support staff had to re-run it by hand each morning. ' +
  'I pulled three weeks of job logs and noticed that every failure happened when the export crossed midnight UTC. ' +
  'I dug into the code and found that we computed the date range with local time, so on those nights the query asked for an empty range and then timed out on a retry loop. ' +
  'I wrote a fix that used UTC everywhere, added a unit test for the midnight boundary, and asked a senior engineer to review it. ' +
  'After the fix the job ran for two months with zero failures, and support saved about thirty minutes every morning. ' +
  "I learned to check the data before trusting the team's assumption.";

/** A story at SDE III scope: a problem across six teams nobody owned, influence without authority, a lasting mechanism. */
const SDE_III_STORY =
  'Two years ago our payments platform was used by six product teams, and each of them retried failed card charges in its own way, which caused duplicate charges during provider outages. ' +
  'Nobody owned the problem and there was no clear spec of what correct retry behaviour even meant. ' +
  'I took it on: I defined the problem by pulling a quarter of incident data, wrote a one-page proposal with three options, and weighed building an idempotency service against a shared client library. ' +
  'I chose the service because teams could not be forced to upgrade libraries. ' +
  'None of the six teams reported to me, so I met each tech lead, showed them their own duplicate charge numbers and got buy-in from four teams in the first month; the other two joined after a principal engineer reviewed the design. ' +
  'I led the rollout across teams over two quarters. ' +
  'Duplicate charges fell from about 1,200 a month to under 20, and the idempotency service became the standard for every new payment flow in the organisation; it is still in use today.';

const offline = (id: string, answer: string, level: Level) => gradeOffline({ ...inputForQuestion(bank.get(id)!, rubrics, answer), level });

describe('the bar of a level', () => {
  it('finds the same strong SDE I story at the bar for SDE I and below it for SDE III, saying why on the card, offline', () => {
    const l4 = offline('lp-dive-deep-1', SDE_I_STORY, 'L4');
    const l6 = offline('lp-dive-deep-1', SDE_I_STORY, 'L6');
    expect(l4.score).toBe(l6.score);
    expect(l4.bar).toMatchObject({ level: 'L4', verdict: 'at', shows: 'L4' });
    expect(l4.bar!.reason).toMatch(/^At the SDE I \(L4\) bar/);
    expect(l6.bar).toMatchObject({ level: 'L6', verdict: 'below', shows: 'L4' });
    expect(l6.bar!.reason).toMatch(
      /^Below the SDE III \(L6\) bar: a good answer, at the bar of SDE I \(L4\)\. Scope: .*SDE III expects: work that spans several teams/,
    );
    expect(l6.improvements.join(' ')).toMatch(/For the SDE III bar, show scope/);
    expect(l4.improvements.join(' ')).not.toMatch(/bar, show/);
  });

  it('finds a story across six teams at the SDE III bar and above the SDE I bar, quoting what shows it', () => {
    const l6 = offline('lp-ownership-1', SDE_III_STORY, 'L6');
    expect(l6.bar).toMatchObject({ verdict: 'at', shows: 'L6' });
    const scope = l6.bar!.dimensions.find((d) => d.id === 'scope')!;
    expect(scope.shows).toBe('L6');
    expect(SDE_III_STORY).toContain(scope.evidence!);
    expect(offline('lp-ownership-1', SDE_III_STORY, 'L4').bar).toMatchObject({ verdict: 'above', shows: 'L6' });
    expect(offline('lp-ownership-1', SDE_III_STORY, 'L7').bar!.verdict).toBe('below');
  });

  it('reads impact from the sentences that tell the result, not figures that set the scene', () => {
    const impact = offline('lp-dive-deep-1', SDE_I_STORY, 'L5').bar!.dimensions.find((d) => d.id === 'impact')!;
    expect(impact.evidence).toMatch(/^After the fix/);
  });

  it('puts an answer that does not earn a hire score below every bar, however big its scope', () => {
    const rubric = rubrics.get('star')!;
    const readings = Object.keys(rubric.bar!).map((id) => ({ id, shows: 'L7' as const, evidence: 'x' }));
    const weak = settleBar(rubric, 'L4', readings, 55, []);
    expect(weak).toMatchObject({ verdict: 'below', shows: 'L7' });
    expect(weak!.reason).toMatch(/scores 55, under the 62/);
    expect(settleBar(rubric, 'L4', readings, 62, [])!.verdict).toBe('above');
    const offTopic = settleBar(rubric, 'L4', readings, 90, ['off_topic']);
    expect(offTopic).toMatchObject({ verdict: 'below', shows: null });
  });

  it('shows the level at least half of the dimensions reach', () => {
    const rubric = rubrics.get('star')!;
    const at = (levels: Level[]) =>
      settleBar(
        rubric,
        'L5',
        Object.keys(rubric.bar!).map((id, i) => ({ id, shows: levels[i]!, evidence: null })),
        80,
        [],
      )!;
    expect(at(['L6', 'L6', 'L4', 'L4']).shows).toBe('L6');
    expect(at(['L6', 'L5', 'L4', 'L4']).shows).toBe('L5');
    expect(at(['L7', 'L4', 'L4', 'L4']).shows).toBe('L4');
  });

  it('refuses a rubric bar dimension the offline grader cannot read, naming it', () => {
    const star = rubrics.get('star')!;
    const odd = { ...star, bar: { ...star.bar, charisma: star.bar!.scope! } };
    expect(() => checkScorers([odd])).toThrow(/cannot read the level of star\.bar\.charisma/);
  });
});

describe('the bar with a model grader', () => {
  const grader = () => createGrader(loadConfig(MODEL_ENV));
  /** The model's reading: every dimension of the star rubric at `level`, quoting `quote`. */
  const modelReply = (level: Level, quote: string) => gradeReply('star', 5, 'I pulled three weeks of job logs', level, quote);

  it('finds the same strong SDE I story at the bar for SDE I and below it for SDE III, and tells the model the level', async () => {
    mock.reply(modelReply('L4', ''), modelReply('L4', ''));
    const input = inputForQuestion(bank.get('lp-dive-deep-1')!, rubrics, SDE_I_STORY);
    const l4 = (await grader().grade({ ...input, level: 'L4' })).grade;
    const l6 = (await grader().grade({ ...input, level: 'L6' })).grade;
    expect(l4.bar).toMatchObject({ level: 'L4', verdict: 'at' });
    expect(l6.bar).toMatchObject({ level: 'L6', verdict: 'below', shows: 'L4' });
    expect(l6.bar!.reason).toMatch(/^Below the SDE III \(L6\) bar/);
    const prompt = mock.requests[1]!.messages.at(-1).content as string;
    expect(prompt).toContain('<bar level="SDE III (L6)">');
    expect(prompt).toMatch(/scope \(Scope\): at SDE III \(L6\): Work that spans several teams/);
    expect(Object.keys(mock.requests[1]!.response_format.json_schema.schema.properties.bar.properties)).toEqual([
      'scope',
      'ambiguity',
      'impact',
      'influence',
    ]);
  });

  it('reads a level the model claims without a quote the candidate wrote as SDE I', async () => {
    mock.reply(modelReply('L7', 'I set the direction for the whole company'), modelReply('L6', 'I pulled three weeks of job logs'));
    const input = { ...inputForQuestion(bank.get('lp-dive-deep-1')!, rubrics, SDE_I_STORY), level: 'L6' as const };
    const invented = (await grader().grade(input)).grade;
    expect(invented.bar).toMatchObject({ verdict: 'below', shows: 'L4' });
    const quoted = (await grader().grade(input)).grade;
    expect(quoted.bar).toMatchObject({ verdict: 'at', shows: 'L6' });
    expect(quoted.bar!.dimensions[0]!.evidence).toBe('I pulled three weeks of job logs');
  });
});

describe('POST /api/grade with a level', () => {
  it('grades against the level asked for, and refuses a level that does not exist', async () => {
    const { client, post } = makeApp();
    const at = async (level: Level) => {
      const res = await client.api.grade.$post({ json: { questionId: 'lp-dive-deep-1', answer: SDE_I_STORY, level, provider: 'offline' } });
      return ((await res.json()) as { bar: { verdict: string } }).bar.verdict;
    };
    expect(await at('L4')).toBe('at');
    expect(await at('L6')).toBe('below');
    // deliberately malformed: a level the schema does not have
    const bad = await post('/api/grade', { questionId: 'lp-dive-deep-1', answer: SDE_I_STORY, level: 'L9' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/level/);
  });
});

describe('follow-ups by level', () => {
  it('probe the bar dimension a good SDE I story falls shortest on at SDE III, and move on at SDE I', async () => {
    const { post } = makeApp();
    const at = async (level: Level) => {
      const s = await post('/api/sessions', { questionIds: ['lp-dive-deep-1', 'lp-ownership-1'], level, maxFollowUps: 1, seed: 1 });
      const turn = await post(`/api/sessions/${s.body.id}/answer`, { text: SDE_I_STORY });
      return turn.body.messages.at(-1) as { kind: string; content: string };
    };
    const senior = await at('L6');
    expect(senior.kind).toBe('followup');
    // anchored on where the story starts, then the scope probe
    expect(senior.content).toBe(
      `You said "In my first year on the checkout team, our nightly order export…". ${rubrics.get('star')!.bar!.scope!.probe}`,
    );
    expect((await at('L4')).kind).toBe('question');
  });
});
