import type { z } from 'zod';
import type { Message, Model } from '../llm/client.js';
import { completeStructured } from '../llm/structured.js';
import { fence, loadPrompt, render } from '../llm/prompts.js';
import { injectionSpans } from './injection.js';
import { aggregate, type Flag, Grade } from './grade.js';
import type { Rubric } from './rubrics.js';
import type { Grader, GradeInput, GradeResult } from './types.js';

/** What the model fills in, cut from the one Grade schema; ids, grader, score, overall and verdict are computed by us. */
export const LlmGradeReply = Grade.pick({
  criteria: true,
  leadershipPrinciples: true,
  coveredPoints: true,
  missedPoints: true,
  strengths: true,
  improvements: true,
  flags: true,
});
export type LlmGradeReply = z.infer<typeof LlmGradeReply>;

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

const normalize = (s: string) => s.replace(/[“”]/g, '"').replace(/[‘’]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();

export class LlmGrader implements Grader {
  readonly kind = 'llm' as const;
  constructor(private readonly llm: Model) {}

  buildMessages(input: GradeInput): Message[] {
    const reference = input.referenceAnswer.trim()
      ? input.referenceAnswer
      : `(No single reference answer: this is a Leadership Principles question${input.leadershipPrinciples?.length ? ` on ${input.leadershipPrinciples.join(', ')}` : ''}.)\nSignals a Bar Raiser listens for:\n${(input.signals ?? []).map((s) => `- ${s}`).join('\n')}\nCommon pitfalls:\n${(input.pitfalls ?? []).map((s) => `- ${s}`).join('\n')}`;
    const exchange = (input.exchange ?? [])
      .map((m) => `${m.role === 'interviewer' ? 'Interviewer' : 'Candidate'}: ${fence(m.content, 'candidate_answer')}`)
      .join('\n\n');
    const user = render(loadPrompt('grader.user.md'), {
      question: input.question,
      reference,
      rubric_id: input.rubric.id,
      rubric: describeRubric(input.rubric),
      exchange: exchange || '(no follow-up questions)',
      answer: fence(input.answer, 'candidate_answer'),
      criterion_ids: input.rubric.criteria.map((c) => c.id).join(', '),
    });
    return [
      { role: 'system', content: loadPrompt('grader.system.md') },
      { role: 'user', content: user },
    ];
  }

  async grade(input: GradeInput, options: { signal?: AbortSignal } = {}): Promise<GradeResult> {
    const ids = input.rubric.criteria.map((c) => c.id);
    const { value, usage } = await completeStructured({
      ...this.llm,
      messages: this.buildMessages(input),
      schema: LlmGradeReply,
      name: 'grade',
      signal: options.signal,
      check: (reply) => {
        const got = reply.criteria.map((c) => c.id);
        const missing = ids.filter((id) => !got.includes(id));
        const unknown = got.filter((id) => !ids.includes(id));
        if (missing.length || unknown.length) {
          return `criteria must be exactly ${ids.join(', ')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${unknown.length ? `; unknown ${unknown.join(', ')}` : ''}`;
        }
        return undefined;
      },
    });
    return { grade: this.toGrade(input, value), usage };
  }

  /** Keeps only evidence that really quotes the answer, and adds the injection flag we detect ourselves. */
  toGrade(input: GradeInput, reply: LlmGradeReply): Grade {
    const haystack = normalize(input.answer);
    const isQuote = (q: string) => q.trim().length > 0 && haystack.includes(normalize(q));
    const byId = new Map(reply.criteria.map((c) => [c.id, c]));
    const criteria = input.rubric.criteria.map((c) => {
      const r = byId.get(c.id)!;
      return { id: c.id, score: r.score, evidence: r.evidence.filter(isQuote), feedback: r.feedback };
    });
    const flags = [...new Set<Flag>([...reply.flags, ...(injectionSpans(input.answer).length ? (['prompt_injection'] as const) : [])])];
    const weights = new Map(input.rubric.criteria.map((c) => [c.id, c.weight]));
    const { score, overall, verdict } = aggregate(criteria, weights, flags);
    return {
      questionId: input.questionId,
      rubricId: input.rubric.id,
      grader: { kind: 'llm', model: this.llm.model },
      score,
      overall,
      verdict,
      criteria,
      leadershipPrinciples: reply.leadershipPrinciples.filter((p) => isQuote(p.evidence)),
      coveredPoints: reply.coveredPoints,
      missedPoints: reply.missedPoints,
      strengths: reply.strengths,
      improvements: reply.improvements,
      flags,
    };
  }
}
