import { describe, expect, it } from 'vitest';
import { readBankDir } from '../src/bank/load.js';
import { codingEntries } from '../src/coding/bank.js';
import { codingPack } from '../src/coding/pack.js';
import { settleBar } from '../src/grading/bar.js';
import { type Grade, verdictFor } from '../src/grading/grade.js';
import type { Level } from '../src/grading/levels.js';
import { loadRubrics } from '../src/grading/rubrics.js';
import type { LoopQuestion } from '../src/interview/feedback.js';
import { holdMeeting } from '../src/interview/meeting.js';
import { planLoop } from '../src/interview/plan.js';
import { RUBRICS_DIR } from '../src/start.js';
import { fakeGrade } from './helpers/grades.js';

const rubrics = loadRubrics(RUBRICS_DIR);
const bank = [...readBankDir(), ...codingEntries(codingPack())];

/** A grade of `score` whose every bar dimension shows `shows`, settled at `level`. */
function grade(rubricId: string, score: number, shows: Level, level: Level): Grade {
  const rubric = rubrics.get(rubricId)!;
  const readings = Object.keys(rubric.bar!).map((id) => ({ id, shows, evidence: 'I did it.' }));
  return fakeGrade({
    questionId: 'q',
    rubricId,
    score,
    overall: Math.min(5, Math.max(1, Math.round(1 + (score / 100) * 4))),
    verdict: verdictFor(score),
    bar: settleBar(rubric, level, readings, score, [])!,
  });
}

/**
 * An SDE II loop where interview `i` answers at `scores[i]` showing `shows[i]`; interviews past
 * `held` were never reached.
 */
function loop(o: { level?: Level; scores: number[]; shows?: Level[]; held?: number }) {
  const level = o.level ?? 'L5';
  const { plan, questions } = planLoop({ bank, level, interviews: o.scores.length, seed: 'meeting' });
  const loopQuestions: LoopQuestion[] = questions.map((question, position) => {
    const i = plan.interviews.findIndex((x) => x.positions.includes(position));
    if (i >= (o.held ?? plan.interviews.length)) return { position, question, state: 'pending', answer: '' };
    return { position, question, state: 'graded', answer: '', grade: grade(question.rubric, o.scores[i]!, o.shows?.[i] ?? level, level) };
  });
  return { plan, meeting: holdMeeting(plan, loopQuestions, rubrics, []) };
}

describe('the debrief meeting decides at the level', () => {
  it('hires at the level when every interviewer is inclined, the Bar Raiser included', () => {
    const { meeting } = loop({ scores: [75, 75, 85, 75, 75] });
    expect(meeting.feedback.map((f) => f.vote)).toEqual(['inclined', 'inclined', 'strongly_inclined', 'inclined', 'inclined']);
    expect(meeting.decision).toMatchObject({ outcome: 'hire', level: 'L5', decidedBy: [], wouldChange: null });
    expect(meeting.barRaiser).toMatchObject({ name: 'Hannah Lee', blocks: false });
  });

  it('does not hire on one Strongly Not Inclined vote, however strong the rest, and names the answers that decided it', () => {
    const { plan, meeting } = loop({ scores: [90, 35, 90, 90, 90] });
    expect(meeting.feedback[1]!.vote).toBe('strongly_not_inclined');
    expect(meeting.decision.outcome).toBe('no_hire');
    expect(meeting.decision.summary).toMatch(/Priya Raman is Strongly Not Inclined/);
    const positions = plan.interviews[1]!.positions;
    expect(meeting.decision.decidedBy.map((d) => d.position)).toEqual(positions);
    expect(meeting.decision.wouldChange).toMatch(/at Hire \(62\/100 or more\)/);
  });

  it('lets the Bar Raiser block a hire the other four are inclined to', () => {
    const { meeting } = loop({ scores: [80, 80, 80, 80, 55] });
    expect(meeting.feedback.map((f) => f.vote)).toEqual([
      'strongly_inclined',
      'strongly_inclined',
      'strongly_inclined',
      'strongly_inclined',
      'not_inclined',
    ]);
    expect(meeting.barRaiser).toMatchObject({ vote: 'not_inclined', blocks: true });
    expect(meeting.decision.outcome).toBe('no_hire');
    expect(meeting.decision.summary).toMatch(/the Bar Raiser, Hannah Lee, is Not Inclined/);
    // one interviewer other than the Bar Raiser at Not Inclined does not block
    expect(loop({ scores: [80, 80, 80, 55, 80] }).meeting.decision.outcome).toBe('hire');
  });

  it('does not hire when half the loop or more is Not Inclined, and hires below half', () => {
    expect(loop({ scores: [55, 55, 80, 80, 80] }).meeting.decision.outcome).toBe('hire');
    expect(loop({ scores: [55, 55, 55, 80, 80] }).meeting.decision.outcome).toBe('no_hire');
    // four interviews at SDE I: two of four is half
    expect(loop({ level: 'L4', scores: [55, 55, 80, 80] }).meeting.decision.outcome).toBe('no_hire');
    expect(loop({ level: 'L4', scores: [55, 80, 80, 80] }).meeting.decision.outcome).toBe('hire');
  });

  it('hires one level down when the answers are good but show the level below, and says what would have made it the level', () => {
    const { meeting } = loop({ scores: [85, 85, 85, 85, 85], shows: ['L4', 'L4', 'L4', 'L4', 'L4'] });
    expect(meeting.feedback.every((f) => f.vote === 'not_inclined')).toBe(true);
    expect(meeting.decision).toMatchObject({ outcome: 'hire_one_level_down', level: 'L4' });
    expect(meeting.decision.summary).toMatch(/but a hire at SDE I \(L4\)/);
    expect(meeting.decision.wouldChange).toMatch(/at the SDE II bar .* would have made it a hire at SDE II \(L5\)/);
    // at SDE I there is no level below
    const l4 = loop({ level: 'L4', scores: [30, 85, 85, 85] }).meeting;
    expect(l4.decision.outcome).toBe('no_hire');
    // weak answers are not rescued by going down a level
    expect(loop({ scores: [85, 35, 85, 85, 85], shows: ['L4', 'L4', 'L4', 'L4', 'L4'] }).meeting.decision.outcome).toBe('no_hire');
  });

  it('says insufficient evidence when fewer than half of the interviews were held', () => {
    const { meeting } = loop({ scores: [90, 90, 90, 90, 90], held: 2 });
    expect(meeting.feedback).toHaveLength(2);
    expect(meeting.decision.outcome).toBe('insufficient_evidence');
    expect(meeting.decision.summary).toMatch(/2 of 5 interviews/);
    expect(loop({ scores: [90, 90, 90, 90, 90], held: 3 }).meeting.decision.outcome).toBe('hire');
  });

  it('rates each owned principle from its answer and writes the concerns below the bar', () => {
    const { plan, meeting } = loop({ scores: [75, 75, 75, 75, 75], shows: ['L4', 'L5', 'L5', 'L5', 'L5'] });
    const first = meeting.feedback[0]!;
    expect(first.principles.map((p) => p.name)).toEqual(plan.interviews[0]!.principles);
    expect(first.principles.every((p) => p.rating === 4)).toBe(true);
    expect(first.vote).toBe('not_inclined');
    expect(first.concerns.join(' ')).toMatch(/Below the SDE II bar on .*: scope, ambiguity, impact, influence/);
  });
});
