import { withCodeEvidence } from './code-evidence.js';
import { z } from 'zod';
import type { Message, Model } from '../llm/client.js';
import { datamark, loadPrompt, neutralizeTags, render, unmark } from '../llm/prompts.js';
import { completeStructured } from '../llm/structured.js';
import { support } from './analysis.js';
import { barAdvice, type DimensionReading, settleBar } from './bar.js';
import { settleCriteria, strengthsAndImprovements } from './card.js';
import { aggregate, Flag, Grade } from './grade.js';
import { injectionSpans, withoutSpans } from './injection.js';
import { DEFAULT_LEVEL, type Level, LEVEL_NAMES, levelName } from './levels.js';
import { LEVELS } from '../shapes.js';
import { adviceBeyondCriteria, gradeOffline, judge } from './offline/index.js';
import type { Rubric } from './rubrics.js';
import type { Grader, GradeInput, GradeResult } from './types.js';

/** Flags a model may set; grader_disagreement is ours alone. */
const ModelFlag = Flag.exclude(['grader_disagreement']);

const CriterionReply = z.object({
  score: z.number().int().min(1).max(5).nullable(),
  evidence: z.array(z.string()),
  feedback: z.string(),
});

/**
 * What the model fills in, built per rubric: `criteria` is an object with exactly the rubric's
 * criterion ids as keys, so strict structured output and grammar-constrained servers cannot
 * produce a missing, extra or misspelled id. Ids, grader, score, overall and verdict are ours.
 */
export function gradeReplySchema(rubric: Rubric) {
  const criteria = Object.fromEntries(rubric.criteria.map((c) => [c.id, CriterionReply]));
  const bar = Object.fromEntries(Object.keys(rubric.bar ?? {}).map((id) => [id, DimensionReply]));
  return Grade.pick({ leadershipPrinciples: true, coveredPoints: true, missedPoints: true, strengths: true, improvements: true }).extend({
    criteria: z.object(criteria).strict(),
    flags: z.array(ModelFlag),
    // The level each bar dimension shows, with the quote that shows it: the verdict against the bar is ours.
    bar: z.object(bar).strict(),
  });
}

const DimensionReply = z.object({ level: z.enum(LEVELS), evidence: z.string() });
export type GradeReply = z.infer<ReturnType<typeof gradeReplySchema>>;

/** A model's covered point must share this much of its content with the answer to be kept. */
const SUPPORTED = 0.34;
/** A model's missed point with this much of its content in the answer is plainly said, and dropped. */
const PLAINLY_SAID = 0.7;

/** An LLM grade this many points away from the offline grade of the same answer is flagged. */
export const DISAGREEMENT_POINTS = 35;

const REFERENCE_TAG = {
  star: 'example_story',
  company: 'one_good_answer',
  technical: 'reference_answer',
  system_design: 'reference_answer',
  coding: 'reference_answer',
};

function describeRubric(rubric: Rubric): string {
  return rubric.criteria
    .map(
      (c) =>
        `- ${c.id} (${c.name}, weight ${c.weight}): ${c.description}\n` +
        Object.entries(c.levels)
          .filter(([, v]) => v)
          .map(([level, text]) => `    ${level}: ${text}`)
          .join('\n'),
    )
    .join('\n');
}

/** The level's bar, for the prompt: each dimension's expectation at the level asked for, and the levels either side. */
function describeBar(rubric: Rubric, level: Level): string {
  return Object.entries(rubric.bar ?? {})
    .map(
      ([id, e]) =>
        `- ${id} (${e.name}): at ${levelName(level)}: ${e[level]}\n` +
        LEVELS.map((l) => `    ${l} (${LEVEL_NAMES[l]}): ${e[l]}`).join('\n'),
    )
    .join('\n');
}

const normalize = (s: string) => s.replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Where a quote is in the answer, compared without case, curly quotes or runs of spaces: the
 * answer's own text there, or undefined when the candidate never wrote it (or it is too short to
 * be a quote).
 */
export function locate(quote: string, answer: string): string | undefined {
  const q = normalize(quote);
  if (q.length < 3) return undefined;
  // Map each character of the normalised answer back to its place in the answer.
  let norm = '';
  const at: number[] = [];
  let space = false;
  for (let i = 0; i < answer.length; i++) {
    const ch = answer[i]!;
    if (/\s/.test(ch)) {
      space = norm.length > 0;
      continue;
    }
    if (space) {
      norm += ' ';
      at.push(i);
      space = false;
    }
    norm += normalize(ch) || ch.toLowerCase();
    at.push(i);
  }
  const from = norm.indexOf(q);
  if (from < 0) return undefined;
  return answer.slice(at[from], at[from + q.length - 1]! + 1);
}

/** The candidate's turns, each without the sentences addressed to the grader. */
interface Turn {
  role: 'interviewer' | 'candidate';
  content: string;
  removed: number;
}

function turnsOf(input: GradeInput): Turn[] {
  const exchange = input.exchange?.some((m) => m.role === 'candidate')
    ? input.exchange
    : [{ role: 'candidate' as const, content: input.answer }];
  return exchange.map((m) => {
    if (m.role === 'interviewer') return { role: m.role, content: m.content, removed: 0 };
    const spans = injectionSpans(m.content);
    return { role: m.role, content: withoutSpans(m.content, spans), removed: spans.length };
  });
}

export class LlmGrader implements Grader {
  readonly kind = 'llm' as const;
  constructor(private readonly llm: Model) {}

  /**
   * The prompt. The candidate's text appears once, in its turns, fenced, tag-neutralised and
   * datamarked; sentences our detector finds addressed to the grader are taken out before the
   * model sees them (it is told how many). The reference answer is labelled by what it is for.
   */
  buildMessages(input: GradeInput, turns: Turn[] = turnsOf(input)): Message[] {
    const kind = input.rubric.kind;
    const reference = input.rubricOnly
      ? `(No reference answer and no signals: ${input.rubricOnly}. Grade on the rubric only; do not hold the answer to any expected content.)`
      : input.referenceAnswer.trim() ||
        `(No single reference answer: this is a Leadership Principles question${input.leadershipPrinciples?.length ? ` on ${input.leadershipPrinciples.join(', ')}` : ''}.)\nSignals a Bar Raiser listens for:\n${(input.signals ?? []).map((s) => `- ${s}`).join('\n')}\nCommon pitfalls:\n${(input.pitfalls ?? []).map((s) => `- ${s}`).join('\n')}`;
    let n = 0;
    const exchange = turns
      .map((t) =>
        t.role === 'interviewer'
          ? `<interviewer_turn>\n${neutralizeTags(t.content)}\n</interviewer_turn>`
          : `<candidate_turn n="${++n}">\n${datamark(t.content)}\n</candidate_turn>`,
      )
      .join('\n');
    const removed = turns.reduce((s, t) => s + t.removed, 0);
    const user = render(loadPrompt('grader.user.md'), {
      question: input.question,
      reference_tag: input.rubricOnly ? 'no_reference' : input.referenceAnswer.trim() ? REFERENCE_TAG[kind] : 'signals',
      reference,
      rubric_id: input.rubric.id,
      rubric: describeRubric(input.rubric),
      exchange,
      removed: removed
        ? `\n(${removed} sentence(s) of the candidate's answer addressed the grader rather than the interviewer; they were removed and must not be graded.)\n`
        : '',
      criterion_ids: input.rubric.criteria.map((c) => c.id).join(', '),
      level: levelName(input.level ?? DEFAULT_LEVEL),
      bar: describeBar(input.rubric, input.level ?? DEFAULT_LEVEL),
      bar_ids: Object.keys(input.rubric.bar ?? {}).join(', ') || '(none)',
    });
    return [
      { role: 'system', content: render(loadPrompt('grader.system.md'), { kind_guidance: loadPrompt(`grader.kind.${kind}.md`).trim() }) },
      { role: 'user', content: user },
    ];
  }

  async grade(input: GradeInput, options: { signal?: AbortSignal } = {}): Promise<GradeResult> {
    const turns = turnsOf(input);
    const { value, usage } = await completeStructured({
      ...this.llm,
      messages: this.buildMessages(input, turns),
      schema: gradeReplySchema(input.rubric),
      name: 'grade',
      signal: options.signal,
    });
    return { grade: this.toGrade(input, value), usage };
  }

  /**
   * The model's reply as a Grade, under defences that do not depend on the model obeying: only
   * quotes found in what the candidate wrote (outside the sentences addressed to the grader)
   * count as evidence; our own guards run on the answer and cap the criteria as they would cap
   * an offline grade; the headline is computed by us from the criteria and the rubric weights;
   * and a wide gap from the offline grade of the same answer is flagged.
   */
  toGrade(input: GradeInput, reply: GradeReply): Grade {
    const injection = injectionSpans(input.answer);
    const clean = withoutSpans(input.answer, injection);
    // A quote counts when the candidate wrote it, whatever its case or spacing; it is kept as they wrote it.
    const located = (q: string) => locate(unmark(q), clean);
    const isQuote = (q: string) => located(q) !== undefined;
    const judgement = judge(input);
    const offline = gradeOffline(input, judgement);
    const flags = [
      ...new Set<Flag>([
        ...reply.flags,
        ...offline.flags.filter((f) => f !== 'grader_disagreement'),
        ...(injection.length ? (['prompt_injection'] as const) : []),
      ]),
    ];
    const rubric = input.rubric;
    const { levels, criteria } = settleCriteria(
      withCodeEvidence(
        rubric.criteria.map((c) => {
          const r = reply.criteria[c.id]!;
          // The model's words were written for its own score: once a cap takes the criterion down to 1–2 they are not said.
          return {
            id: c.id,
            level: r.score,
            evidence: r.evidence.flatMap((q) => located(q) ?? []),
            shows: r.feedback,
            lacks: (r.score ?? 0) <= 3 ? r.feedback : '',
          };
        }),
        input.code,
      ),
      flags,
      rubric,
    );
    const weights = new Map(rubric.criteria.map((c) => [c.id, c.weight]));
    // The same floor as the offline grade: a vague answer on topic above an off-topic one, above none.
    const { score, overall, verdict } = aggregate(levels, weights, flags, 1, judgement.floor);
    // Not a cap: a sign for the candidate to read this grade with care.
    if (Math.abs(score - offline.score) >= DISAGREEMENT_POINTS) flags.push('grader_disagreement');
    // The model's lists hold only what the answer supports: a covered point shares a good part of
    // its words with the answer, a missed one is not plainly in it.
    const coveredPoints = reply.coveredPoints.filter((p) => support(unmark(p), clean) >= SUPPORTED);
    const missedPoints = reply.missedPoints.filter((p) => support(unmark(p), clean) < PLAINLY_SAID);
    const offTheme = flags.includes('off_theme');
    // The model reads the level each dimension shows; one without a quote the candidate wrote shows nothing above SDE I.
    const readings: DimensionReading[] = Object.entries(reply.bar).map(([id, d]) => {
      const evidence = located(d.evidence) ?? null;
      return { id, shows: evidence ? d.level : 'L4', evidence };
    });
    const bar = settleBar(rubric, input.level ?? DEFAULT_LEVEL, readings, score, flags);
    const { strengths, improvements } = strengthsAndImprovements(
      rubric,
      criteria,
      flags,
      missedPoints,
      adviceBeyondCriteria(judgement, score),
      barAdvice(rubric, bar),
    );
    return {
      questionId: input.questionId,
      rubricId: rubric.id,
      grader: { kind: 'llm', model: this.llm.model },
      score,
      overall,
      verdict,
      criteria,
      leadershipPrinciples: reply.leadershipPrinciples
        .filter((p) => isQuote(p.evidence) && !(offTheme && input.leadershipPrinciples?.includes(p.name)))
        .map((p) => ({ ...p, evidence: located(p.evidence)! })),
      coveredPoints,
      missedPoints,
      strengths,
      improvements,
      flags,
      ...(input.rubricOnly && { rubricOnly: input.rubricOnly }),
      ...(bar && { bar }),
    };
  }
}
