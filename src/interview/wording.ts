import { type BankEntry, CATEGORIES } from '../bank/schema.js';
import { LEVEL_NAMES } from '../grading/levels.js';
import { loadPrompt, render } from '../llm/prompts.js';
import type { Interview, LoopPlan } from './plan.js';
import { TIME_BOX } from './selection.js';
import { CATEGORY_LABEL } from './views.js';

/**
 * What the interviewers say around the questions, the same with or without a model: the opening,
 * each interviewer's introduction in a loop, the handoff from one interviewer to the next. The
 * texts are prompts/*.md templates; the values put in them are ours, never the candidate's.
 */

const AREA_LABEL: Record<NonNullable<Interview['area']>, string> = {
  technical: 'a technical question',
  coding: 'a coding problem you solve in the editor',
  system_design: 'a system design question',
};

const list = (items: string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/** Who grades, said in the opening: honest about being offline. */
function graderNote(kind: 'llm' | 'offline', model: string | null): string {
  return kind === 'offline'
    ? 'You are using the offline interviewer and grader: no AI model is involved, feedback comes from rubric rules and the reference answers.'
    : `Your answers are graded by ${model ?? 'the configured model'} against the reference answers and rubrics.`;
}

export function openingText(o: {
  picked: BankEntry[];
  maxFollowUps: number;
  grader: 'llm' | 'offline';
  model: string | null;
  plan: LoopPlan | null;
}): string {
  const grader = graderNote(o.grader, o.model);
  const minutes = o.picked.reduce((s, q) => s + TIME_BOX[q.category] / 60, 0);
  if (o.plan) {
    const people = o.plan.interviews.map((i) => `${i.interviewer.name} (${i.interviewer.role})`);
    return render(loadPrompt('opening.loop.md'), {
      level: LEVEL_NAMES[o.plan.level],
      count: String(o.plan.interviews.length),
      people: list(people),
      questions: String(o.picked.length),
      minutes: String(minutes),
      follow_ups: String(o.maxFollowUps),
      grader,
    }).trim();
  }
  const counts = CATEGORIES.map((c) => ({ c, n: o.picked.filter((q) => q.category === c).length })).filter((x) => x.n > 0);
  return render(loadPrompt('opening.md'), {
    count: String(o.picked.length),
    breakdown: counts.map((x) => `${x.n} ${CATEGORY_LABEL[x.c]}`).join(', '),
    minutes: String(minutes),
    follow_ups: String(o.maxFollowUps),
    grader,
  }).trim();
}

/** An interviewer introducing themselves and what their interview covers. */
export function introText(interview: Interview, index: number, total: number): string {
  const covers = [...interview.principles, ...(interview.area ? [AREA_LABEL[interview.area]] : [])];
  return render(loadPrompt('interviewer.intro.md'), {
    name: interview.interviewer.name,
    role: interview.interviewer.role,
    number: String(index + 1),
    total: String(total),
    covers: list(covers),
    bar_raiser: interview.interviewer.barRaiser
      ? ' As the Bar Raiser I come from outside the hiring team, and my job is to make sure every hire raises the bar.'
      : '',
  }).trim();
}

/** The end of one interview and the start of the next: said before the next interview's first question. */
export function handoffText(from: Interview, to: Interview, toIndex: number, total: number): string {
  return `${render(loadPrompt('interviewer.handoff.md'), { name: from.interviewer.name, next: to.interviewer.name }).trim()}\n\n${introText(to, toIndex, total)}`;
}
