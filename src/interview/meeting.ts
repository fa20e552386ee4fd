import { z } from '@hono/zod-openapi';
import { type Level, Level as LevelSchema, LEVEL_NAMES, levelBelow, levelName } from '../grading/levels.js';
import type { Rubric } from '../grading/rubrics.js';
import { inclined, InterviewFeedback, type LoopQuestion, StoryReuse, VOTE_LABEL, VOTES, writeFeedback } from './feedback.js';
import type { LoopPlan } from './plan.js';

/**
 * The debrief meeting of a loop: the interviewers' votes side by side, the Bar Raiser's
 * assessment, and the decision at the level, by one rule (README, "How the debrief decides"):
 *
 * - Insufficient evidence when fewer than half of the interviews have an answer to judge, or
 *   fewer than half of the questions asked were answered.
 * - At a level, a hire needs: no Strongly Not Inclined vote, the Bar Raiser Inclined or better
 *   (the Bar Raiser can block), and fewer than half of the votes Not Inclined.
 * - Not a hire at the level asked: the votes are taken again at one level down, each answer
 *   re-settled against that level's bar; a hire there is a hire one level down. Else no hire.
 */

export const DECISIONS = ['hire', 'hire_one_level_down', 'no_hire', 'insufficient_evidence'] as const;
export type Decision = (typeof DECISIONS)[number];

export const Meeting = z
  .object({
    level: LevelSchema,
    feedback: z.array(InterviewFeedback).openapi({ description: 'Each interviewer’s written feedback and vote, at the level asked' }),
    barRaiser: z
      .object({ name: z.string(), vote: z.enum(VOTES), blocks: z.boolean(), assessment: z.string() })
      .nullable()
      .openapi({ description: 'The Bar Raiser’s assessment; null in a loop without one' }),
    decision: z.object({
      outcome: z.enum(DECISIONS),
      level: LevelSchema.nullable().openapi({ description: 'The level hired at; null for no hire or insufficient evidence' }),
      summary: z.string(),
      decidedBy: z.array(
        z.object({ position: z.number().int(), questionId: z.string(), prompt: z.string(), interviewer: z.string(), why: z.string() }),
      ),
      wouldChange: z.string().nullable(),
    }),
    retold: z.array(StoryReuse).openapi({ description: 'Stories told to two interviewers' }),
  })
  .openapi('DebriefMeeting');
export type Meeting = z.infer<typeof Meeting>;

interface Votes {
  feedback: InterviewFeedback[];
  hire: boolean;
  /** The votes that stand against a hire, with why. */
  against: Array<{ feedback: InterviewFeedback; why: string }>;
}

function votesAt(level: Level, plan: LoopPlan, questions: LoopQuestion[], rubrics: Map<string, Rubric>, retold: StoryReuse[]): Votes {
  const held = plan.interviews
    .map((interview, i) => ({ interview, i }))
    .filter(({ interview }) => questions.some((q) => interview.positions.includes(q.position) && q.state !== 'pending'));
  const feedback = held.map(({ interview, i }) => writeFeedback(i, interview, questions, rubrics, level, retold));
  const strongNo = feedback.filter((f) => f.vote === 'strongly_not_inclined');
  const blocker = feedback.find((f) => f.interviewer.barRaiser && !inclined(f.vote));
  const notInclined = feedback.filter((f) => !inclined(f.vote));
  const against = [
    ...strongNo.map((f) => ({ feedback: f, why: `${f.interviewer.name} is Strongly Not Inclined` })),
    ...(blocker && blocker.vote !== 'strongly_not_inclined'
      ? [{ feedback: blocker, why: `the Bar Raiser, ${blocker.interviewer.name}, is Not Inclined` }]
      : []),
  ];
  if (!against.length && notInclined.length * 2 >= feedback.length) {
    against.push(...notInclined.map((f) => ({ feedback: f, why: `${f.interviewer.name} is Not Inclined, with half the loop or more` })));
  }
  return { feedback, hire: feedback.length > 0 && against.length === 0, against };
}

/** The answers behind a vote against: the ones its concerns name, or all of its answers. */
function answersBehind(f: InterviewFeedback, why: string) {
  const weak = f.answers.filter((a) => a.score === null || a.score < 62 || a.bar === 'below');
  return (weak.length ? weak : f.answers).map((a) => ({
    position: a.position,
    questionId: a.questionId,
    prompt: a.prompt,
    interviewer: f.interviewer.name,
    why: `${why}: ${a.score === null ? 'not answered' : `${a.score}/100${a.bar === 'below' ? `, below the ${LEVEL_NAMES[f.level]} bar` : ''}`}`,
  }));
}

const quoted = (s: string) => `"${s.length > 60 ? `${s.slice(0, 57)}…` : s}"`;

export function holdMeeting(plan: LoopPlan, questions: LoopQuestion[], rubrics: Map<string, Rubric>, retold: StoryReuse[]): Meeting {
  const level = plan.level;
  const at = votesAt(level, plan, questions, rubrics, retold);
  const br = at.feedback.find((f) => f.interviewer.barRaiser);
  const barRaiser = br
    ? {
        name: br.interviewer.name,
        vote: br.vote,
        blocks: !inclined(br.vote),
        assessment: `${br.summary}${inclined(br.vote) ? '' : ' As Bar Raiser, this vote blocks a hire.'}${br.concerns.length ? ` Concerns: ${br.concerns.slice(0, 2).join(' ')}` : ''}`,
      }
    : null;
  const base = { level, feedback: at.feedback, barRaiser, retold };

  const asked = questions.filter((q) => q.state !== 'pending');
  const answered = questions.filter((q) => q.grade);
  const judged = at.feedback.filter((f) => f.answers.some((a) => a.score !== null)).length;
  const needInterviews = Math.ceil(plan.interviews.length / 2);
  if (judged < needInterviews || answered.length < Math.max(1, Math.ceil(asked.length / 2))) {
    return {
      ...base,
      decision: {
        outcome: 'insufficient_evidence',
        level: null,
        summary: `Too little to decide on: ${judged} of ${plan.interviews.length} interviews with an answer to judge, ${answered.length} of ${asked.length} questions asked answered.`,
        decidedBy: [],
        wouldChange: `Answers in at least ${needInterviews} of the ${plan.interviews.length} interviews, and to half of the questions asked.`,
      },
    };
  }

  const votes = at.feedback.map((f) => `${f.interviewer.name}: ${VOTE_LABEL[f.vote]}`).join('; ');
  if (at.hire) {
    return {
      ...base,
      decision: {
        outcome: 'hire',
        level,
        summary: `Hire at ${levelName(level)}. ${votes}.${barRaiser ? ' The Bar Raiser is inclined.' : ''}`,
        decidedBy: [],
        wouldChange: null,
      },
    };
  }
  const decidedBy = at.against.flatMap((a) => answersBehind(a.feedback, a.why));
  const why = [...new Set(at.against.map((a) => a.why))].join('; ');
  const lower = levelBelow(level);
  const down = lower ? votesAt(lower, plan, questions, rubrics, retold) : undefined;
  if (lower && down?.hire) {
    const short = decidedBy.filter((d) => d.why.includes('below the'));
    return {
      ...base,
      decision: {
        outcome: 'hire_one_level_down',
        level: lower,
        summary: `Not a hire at ${levelName(level)} (${why}), but a hire at ${levelName(lower)}: at that level's bar the votes are ${down.feedback.map((f) => `${f.interviewer.name}: ${VOTE_LABEL[f.vote]}`).join('; ')}.`,
        decidedBy,
        wouldChange: `Answers at the ${LEVEL_NAMES[level]} bar${short.length ? ` on ${short.map((d) => quoted(d.prompt)).join(', ')}` : ''} would have made it a hire at ${levelName(level)}.`,
      },
    };
  }
  const first = decidedBy[0];
  return {
    ...base,
    decision: {
      outcome: 'no_hire',
      level: null,
      summary: `No hire at ${levelName(level)}${lower ? ` nor at ${levelName(lower)}` : ''}: ${why}. ${votes}.`,
      decidedBy,
      wouldChange: first
        ? `${at.against.length === 1 ? 'That vote' : 'Those votes'} turned: starting with an answer to ${quoted(first.prompt)} at Hire (62/100 or more)${first.why.includes('below the') ? ` and at the ${LEVEL_NAMES[level]} bar` : ''}.`
        : null,
    },
  };
}
