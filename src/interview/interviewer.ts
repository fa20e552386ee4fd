import { z } from 'zod';
import type { BankEntry } from '../bank/schema.js';
import { gradeOffline } from '../grading/offline/index.js';
import type { Rubric } from '../grading/rubrics.js';
import type { GradeInput } from '../grading/types.js';
import type { Model } from '../llm/client.js';
import { loadPrompt, neutralizeTags, render } from '../llm/prompts.js';
import { type OnToken, type Spoken, streamText } from '../llm/stream.js';
import { completeStructured } from '../llm/structured.js';
import type { Usage } from '../llm/usage.js';

export interface ExchangeMessage {
  role: 'interviewer' | 'candidate';
  kind: string;
  content: string;
}

/** What one turn needs: the current question's exchange and a compact summary of the rest. */
export interface TurnContext {
  question: BankEntry;
  rubric: Rubric;
  exchange: ExchangeMessage[];
  followUpsUsed: number;
  maxFollowUps: number;
  /** Worked out only when a model interviewer asks for it. */
  summary: () => Promise<string>;
}

export interface Decision {
  action: 'followup' | 'next';
  criterionId: string | null;
  reason: string;
}

/** The decision's reply schema for one rubric: `criterionId` can only be one of its criterion ids, or null. */
export function decisionSchema(rubric: Rubric) {
  const ids = rubric.criteria.map((c) => c.id) as [string, ...string[]];
  return z.object({ action: z.enum(['followup', 'next']), criterionId: z.enum(ids).nullable(), reason: z.string() });
}

export interface Interviewer {
  readonly kind: 'llm' | 'offline';
  /** Follow up or move on. Only called while follow-ups remain: the cap is enforced by the loop. */
  decide(ctx: TurnContext, signal?: AbortSignal): Promise<{ decision: Decision; usage?: Usage }>;
  followUp(ctx: TurnContext, decision: Decision, onToken: OnToken, signal?: AbortSignal): Promise<Spoken>;
  /** One sentence between questions; `next` is undefined after the last question. */
  transition(ctx: TurnContext, next: NextQuestion | undefined, onToken: OnToken, signal?: AbortSignal): Promise<Spoken>;
}

export interface NextQuestion {
  position: number;
  total: number;
  category: string;
}

export function answersOf(exchange: ExchangeMessage[]): string {
  return exchange
    .filter((m) => m.role === 'candidate' && m.kind === 'answer')
    .map((m) => m.content)
    .join('\n\n');
}

function asGradeInput(ctx: TurnContext): GradeInput {
  const q = ctx.question;
  return {
    questionId: q.id,
    question: q.prompt,
    referenceAnswer: q.referenceAnswer,
    rubric: ctx.rubric,
    category: q.category,
    signals: q.signals,
    pitfalls: q.pitfalls,
    leadershipPrinciples: q.leadershipPrinciples,
    answer: answersOf(ctx.exchange),
  };
}

/** Which probes were already asked in this exchange, so the same one is not asked twice. */
function askedProbes(ctx: TurnContext): Set<string> {
  const asked = new Set<string>();
  for (const m of ctx.exchange) {
    if (m.kind !== 'followup') continue;
    for (const c of ctx.rubric.criteria) for (const p of c.probes) if (m.content.includes(p)) asked.add(p);
  }
  return asked;
}

/** Emits text in small pieces, the way a model streams it. */
function speak(text: string, onToken: OnToken): Spoken {
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) onToken(piece);
  return { text };
}

/**
 * The offline interviewer: deterministic. It runs the offline grader's gap detection on the
 * answers so far and asks the rubric's probe for the most important missing criterion; when
 * nothing important is missing (or the candidate does not know), it moves on.
 */
export class OfflineInterviewer implements Interviewer {
  readonly kind = 'offline' as const;

  async decide(ctx: TurnContext) {
    const grade = gradeOffline(asGradeInput(ctx));
    if (grade.flags.some((f) => f === 'dont_know' || f === 'off_topic' || f === 'prompt_injection')) {
      return { decision: { action: 'next' as const, criterionId: null, reason: `answer flagged ${grade.flags.join(', ')}` } };
    }
    const asked = askedProbes(ctx);
    const weight = new Map(ctx.rubric.criteria.map((c) => [c.id, c]));
    const gaps = grade.criteria
      .filter((c) => (c.score ?? 0) <= 2)
      .map((c) => ({ c, criterion: weight.get(c.id)! }))
      .filter(({ criterion }) => criterion.probes.some((p) => !asked.has(p)))
      .sort((a, b) => b.criterion.weight * (5 - (b.c.score ?? 0)) - a.criterion.weight * (5 - (a.c.score ?? 0)));
    const top = gaps[0];
    if (!top) return { decision: { action: 'next' as const, criterionId: null, reason: 'no important criterion is missing' } };
    return {
      decision: {
        action: 'followup' as const,
        criterionId: top.c.id,
        reason: `${top.criterion.name} is ${top.c.score === null ? 'missing' : `weak (${top.c.score}/5)`}`,
      },
    };
  }

  async followUp(ctx: TurnContext, decision: Decision, onToken: OnToken) {
    const criterion = ctx.rubric.criteria.find((c) => c.id === decision.criterionId) ?? ctx.rubric.criteria[0]!;
    const asked = askedProbes(ctx);
    const probe = criterion.probes.find((p) => !asked.has(p)) ?? criterion.probes[0]!;
    return speak(probe, onToken);
  }

  async transition(_ctx: TurnContext, next: NextQuestion | undefined, onToken: OnToken) {
    return speak(next ? "Thank you, that's all I need on that one. Let's move on." : 'Thank you, that was the last question.', onToken);
  }
}

function describeCriteria(rubric: Rubric): string {
  return rubric.criteria
    .map((c) => `- ${c.id} (${c.name}, weight ${c.weight}): ${c.description} Probes: ${c.probes.join(' | ')}`)
    .join('\n');
}

function describeExchange(exchange: ExchangeMessage[]): string {
  return exchange
    .map((m) =>
      m.role === 'interviewer'
        ? `Interviewer: ${m.content}`
        : `Candidate: <candidate_answer>${neutralizeTags(m.content)}</candidate_answer>`,
    )
    .join('\n\n');
}

/** The LLM interviewer: its decision is structured output, its words are streamed. */
export class LlmInterviewer implements Interviewer {
  readonly kind = 'llm' as const;
  constructor(private readonly llm: Model) {}

  async decide(ctx: TurnContext, signal?: AbortSignal) {
    const q = ctx.question;
    const reference = q.referenceAnswer.trim() || `Signals: ${q.signals.join('; ')}`;
    const { value, usage } = await completeStructured({
      ...this.llm,
      schema: decisionSchema(ctx.rubric),
      name: 'decision',
      signal,
      messages: [
        { role: 'system', content: loadPrompt('interviewer.system.md') },
        {
          role: 'user',
          content: render(loadPrompt('interviewer.decide.md'), {
            category: q.category,
            question: q.prompt,
            reference,
            rubric_id: ctx.rubric.id,
            criteria: describeCriteria(ctx.rubric),
            exchange: describeExchange(ctx.exchange),
            follow_ups_used: String(ctx.followUpsUsed),
            follow_ups_max: String(ctx.maxFollowUps),
          }),
        },
      ],
      check: (d) =>
        d.action === 'followup' && !ctx.rubric.criteria.some((c) => c.id === d.criterionId)
          ? `criterionId must be one of ${ctx.rubric.criteria.map((c) => c.id).join(', ')} when action is "followup"`
          : undefined,
    });
    return { decision: value, usage };
  }

  async followUp(ctx: TurnContext, decision: Decision, onToken: OnToken, signal?: AbortSignal) {
    const criterion = ctx.rubric.criteria.find((c) => c.id === decision.criterionId) ?? ctx.rubric.criteria[0]!;
    return this.stream(
      render(loadPrompt('interviewer.followup.md'), {
        question: ctx.question.prompt,
        exchange: describeExchange(ctx.exchange),
        summary: await ctx.summary(),
        criterion: `${criterion.name}: ${criterion.description}`,
        probe: criterion.probes[0]!,
      }),
      onToken,
      signal,
    );
  }

  async transition(ctx: TurnContext, next: NextQuestion | undefined, onToken: OnToken, signal?: AbortSignal) {
    return this.stream(
      render(loadPrompt('interviewer.transition.md'), {
        question: ctx.question.prompt,
        summary: await ctx.summary(),
        next: next ? ` to question ${next.position + 1} of ${next.total} (${next.category.replace('_', ' ')})` : ' to the end of the loop',
      }),
      onToken,
      signal,
    );
  }

  private stream(user: string, onToken: OnToken, signal?: AbortSignal): Promise<Spoken> {
    return streamText(
      this.llm,
      [
        { role: 'system', content: loadPrompt('interviewer.system.md') },
        { role: 'user', content: user },
      ],
      onToken,
      { signal },
    );
  }
}
