import { z } from 'zod';
import type { BankEntry } from '../bank/schema.js';
import { gradeOffline } from '../grading/offline/index.js';
import { type Level, levelName, rankOf } from '../grading/levels.js';
import type { Rubric } from '../grading/rubrics.js';
import { type InterviewFeedback, VOTE_LABEL, type Vote } from './feedback.js';
import { anchored, anchorQuote, resumeAnchored, resumeQuote } from './anchor.js';
import { codingBrief, type CodingContext, codingProbes } from './coding-probes.js';
import type { Interview } from './plan.js';
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
  /** The level the candidate interviews for: how deep the follow-ups go. */
  level: Level;
  /** In a loop, the interview this question belongs to: who asks it. */
  interview?: Interview;
  /** For a coding problem: the problem, its runs and what they showed. */
  coding?: CodingContext;
}

export interface Decision {
  action: 'followup' | 'next';
  criterionId: string | null;
  reason: string;
}

/** What a follow-up can probe: a criterion, or a bar dimension of the level ("bar.scope"). */
const probeIds = (rubric: Rubric) => [...rubric.criteria.map((c) => c.id), ...Object.keys(rubric.bar ?? {}).map((id) => `bar.${id}`)];

/** The decision's reply schema for one rubric: `criterionId` can only be one of its criterion ids, or null. */
export function decisionSchema(rubric: Rubric) {
  const ids = probeIds(rubric) as [string, ...string[]];
  return z.object({ action: z.enum(['followup', 'next']), criterionId: z.enum(ids).nullable(), reason: z.string() });
}

export interface Interviewer {
  readonly kind: 'llm' | 'offline';
  /** Follow up or move on. Only called while follow-ups remain: the cap is enforced by the loop. */
  decide(ctx: TurnContext, signal?: AbortSignal): Promise<{ decision: Decision; usage?: Usage }>;
  followUp(ctx: TurnContext, decision: Decision, onToken: OnToken, signal?: AbortSignal): Promise<Spoken>;
  /** One sentence between questions; `next` is undefined after the last question. */
  transition(ctx: TurnContext, next: NextQuestion | undefined, onToken: OnToken, signal?: AbortSignal): Promise<Spoken>;
  /** A model's wording of each interviewer's written feedback (absent offline: our code's words stand). */
  phraseFeedback?(feedback: InterviewFeedback[], signal?: AbortSignal): Promise<{ feedback: InterviewFeedback[]; usage?: Usage }>;
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
    level: ctx.level,
  };
}

/** A follow-up on a bar dimension ("bar.scope") rather than a criterion: probing for the level. */
const BAR_PROBE = 'bar.';

/** The probe of a bar dimension the answer falls short on for its level, not yet asked; none at SDE I. */
function barGap(ctx: TurnContext, grade: ReturnType<typeof gradeOffline>, asked: Set<string>) {
  const bar = grade.bar;
  if (!bar || bar.verdict !== 'below' || bar.shows === null || ctx.level === 'L4') return undefined;
  return bar.dimensions
    .filter((d) => rankOf(d.shows) < rankOf(ctx.level))
    .sort((a, b) => rankOf(a.shows) - rankOf(b.shows))
    .map((d) => ({ id: d.id, name: d.name, probe: ctx.rubric.bar![d.id]!.probe }))
    .find((d) => !asked.has(d.probe));
}

/** Which probes were already asked in this exchange, so the same one is not asked twice. */
function askedProbes(ctx: TurnContext): Set<string> {
  const asked = new Set<string>();
  for (const m of ctx.exchange) {
    if (m.kind !== 'followup') continue;
    for (const c of ctx.rubric.criteria) for (const p of c.probes) if (m.content.includes(p)) asked.add(p);
    for (const d of Object.values(ctx.rubric.bar ?? {})) if (m.content.includes(d.probe)) asked.add(d.probe);
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
    if (ctx.coding) {
      // A coding interviewer asks what the code and its tests raise, not what the rubric's words miss.
      const probe = codingProbes(ctx.coding, ctx.exchange)[0];
      return {
        decision: probe
          ? { action: 'followup' as const, criterionId: probe.id, reason: probe.reason }
          : { action: 'next' as const, criterionId: null, reason: 'the complexity, the edge cases and the follow-up were covered' },
      };
    }
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
    if (!top) {
      // A good answer below the level's bar: probe the dimension it falls shortest on (scope, trade-offs…).
      const short = barGap(ctx, grade, asked);
      if (short) {
        return {
          decision: {
            action: 'followup' as const,
            criterionId: `${BAR_PROBE}${short.id}`,
            reason: `${short.name} is below the ${ctx.level} bar`,
          },
        };
      }
      return { decision: { action: 'next' as const, criterionId: null, reason: 'no important criterion is missing' } };
    }
    return {
      decision: {
        action: 'followup' as const,
        criterionId: top.c.id,
        reason: `${top.criterion.name} is ${top.c.score === null ? 'missing' : `weak (${top.c.score}/5)`}`,
      },
    };
  }

  async followUp(ctx: TurnContext, decision: Decision, onToken: OnToken) {
    const coding = ctx.coding && codingProbes(ctx.coding, ctx.exchange).find((p) => p.id === decision.criterionId);
    if (coding) return speak(coding.text, onToken);
    const dimension = decision.criterionId?.startsWith(BAR_PROBE)
      ? ctx.rubric.bar?.[decision.criterionId.slice(BAR_PROBE.length)]
      : undefined;
    const criterion = ctx.rubric.criteria.find((c) => c.id === decision.criterionId) ?? ctx.rubric.criteria[0]!;
    const asked = askedProbes(ctx);
    const probe = dimension ? dimension.probe : (criterion.probes.find((p) => !asked.has(p)) ?? criterion.probes[0]!);
    // Anchored on the candidate's own words (on a résumé question, first on what the résumé claims), never a quote already used in this question.
    const earlier = ctx.exchange.filter((m) => m.kind === 'followup').map((m) => m.content);
    const claim = ctx.question.resume && resumeQuote(ctx.question.resume.claims, answersOf(ctx.exchange), earlier);
    if (claim) return speak(resumeAnchored(claim, probe), onToken);
    return speak(anchored(anchorQuote(answersOf(ctx.exchange), decision.criterionId ?? '', earlier), probe), onToken);
  }

  async transition(_ctx: TurnContext, next: NextQuestion | undefined, onToken: OnToken) {
    return speak(next ? "Thank you, that's all I need on that one. Let's move on." : 'Thank you, that was the last question.', onToken);
  }
}

function describeCriteria(rubric: Rubric, level: Level): string {
  return [
    ...rubric.criteria.map((c) => `- ${c.id} (${c.name}, weight ${c.weight}): ${c.description} Probes: ${c.probes.join(' | ')}`),
    ...Object.entries(rubric.bar ?? {}).map(([id, d]) => `- bar.${id} (${d.name} at ${levelName(level)}): ${d[level]} Probe: ${d.probe}`),
  ].join('\n');
}

/** The interviewer's instructions: the rules, the level, and in a loop who they are and what they own. */
function systemPrompt(ctx: TurnContext): string {
  const i = ctx.interview;
  const persona = i
    ? render(loadPrompt('interviewer.persona.md'), {
        name: i.interviewer.name,
        role: i.interviewer.role,
        style: i.interviewer.style,
        principles: i.principles.join(', '),
        area: i.area ? `, and ${i.area === 'technical' ? 'a technical' : 'a system design'} question` : '',
        bar_raiser: i.interviewer.barRaiser
          ? ' You are the Bar Raiser: from outside the hiring team, you hold the bar for the whole company.'
          : '',
      })
    : '';
  return `${loadPrompt('interviewer.system.md').trimEnd()}\n${persona}${render(loadPrompt('interviewer.level.md'), { level: levelName(ctx.level) })}`;
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
    const reference = q.resume
      ? `No reference answer: a question made from the candidate's résumé, about ${q.resume.name}. What the résumé claims (probe these: the candidate's own part, how figures were measured):\n${q.resume.claims.map((c) => `- ${c}`).join('\n')}`
      : q.referenceAnswer.trim() || `Signals: ${q.signals.join('; ')}`;
    // A coding problem: what its tests and timing showed, and what is left to ask about them.
    const code = ctx.coding ? `\n\nThe candidate's code:\n${codingBrief(ctx.coding, ctx.exchange)}` : '';
    const { value, usage } = await completeStructured({
      ...this.llm,
      schema: decisionSchema(ctx.rubric),
      name: 'decision',
      signal,
      messages: [
        { role: 'system', content: systemPrompt(ctx) },
        {
          role: 'user',
          content: render(loadPrompt('interviewer.decide.md'), {
            category: q.category,
            question: q.prompt,
            reference: `${reference}${code}`,
            rubric_id: ctx.rubric.id,
            criteria: describeCriteria(ctx.rubric, ctx.level),
            exchange: describeExchange(ctx.exchange),
            follow_ups_used: String(ctx.followUpsUsed),
            follow_ups_max: String(ctx.maxFollowUps),
          }),
        },
      ],
      check: (d) =>
        d.action === 'followup' && !probeIds(ctx.rubric).includes(d.criterionId ?? '')
          ? `criterionId must be one of ${probeIds(ctx.rubric).join(', ')} when action is "followup"`
          : undefined,
    });
    return { decision: value, usage };
  }

  async followUp(ctx: TurnContext, decision: Decision, onToken: OnToken, signal?: AbortSignal) {
    const dimension = decision.criterionId?.startsWith(BAR_PROBE)
      ? ctx.rubric.bar?.[decision.criterionId.slice(BAR_PROBE.length)]
      : undefined;
    const criterion = ctx.rubric.criteria.find((c) => c.id === decision.criterionId) ?? ctx.rubric.criteria[0]!;
    // On a coding problem the next thing its runs raise is what to ask (complexity, a failed edge case by name, the change).
    const coding = ctx.coding && codingProbes(ctx.coding, ctx.exchange)[0];
    return this.stream(
      ctx,
      render(loadPrompt('interviewer.followup.md'), {
        // On a résumé question the follow-up may quote what the résumé claims.
        question: ctx.question.resume
          ? `${ctx.question.prompt}\n(What the candidate's résumé claims about it: ${ctx.question.resume.claims.map((c) => `"${neutralizeTags(c)}"`).join('; ')})`
          : ctx.question.prompt,
        exchange: describeExchange(ctx.exchange),
        summary: await ctx.summary(),
        criterion: coding
          ? coding.reason
          : dimension
            ? `${dimension.name} for ${levelName(ctx.level)}: ${dimension[ctx.level]}`
            : `${criterion.name}: ${criterion.description}`,
        probe: coding ? coding.text : dimension ? dimension.probe : criterion.probes[0]!,
      }),
      onToken,
      signal,
    );
  }

  async transition(ctx: TurnContext, next: NextQuestion | undefined, onToken: OnToken, signal?: AbortSignal) {
    return this.stream(
      ctx,
      render(loadPrompt('interviewer.transition.md'), {
        question: ctx.question.prompt,
        summary: await ctx.summary(),
        next: next ? ` to question ${next.position + 1} of ${next.total} (${next.category.replace('_', ' ')})` : ' to the end of the loop',
      }),
      onToken,
      signal,
    );
  }

  /**
   * Each interviewer's feedback in their own voice: the model writes the summary from our vote,
   * ratings and concerns (which stay as they are), and a summary that names another vote than
   * ours is sent back as a problem.
   */
  async phraseFeedback(feedback: InterviewFeedback[], signal?: AbortSignal) {
    if (!feedback.length) return { feedback };
    const schema = z.object({ summaries: z.array(z.string().min(1).max(1200)).length(feedback.length) });
    const facts = feedback
      .map(
        (f, i) =>
          `<interviewer n="${i + 1}" name="${f.interviewer.name}" role="${f.interviewer.role}" vote="${VOTE_LABEL[f.vote]}">\n` +
          `${neutralizeTags(f.summary)}\nPrinciples: ${f.principles.map((p) => `${p.name} ${p.rating ?? 'not answered'}/5`).join('; ')}\n` +
          `Strengths: ${neutralizeTags(f.strengths.join(' | ')) || 'none'}\nConcerns: ${neutralizeTags(f.concerns.join(' | ')) || 'none'}\n</interviewer>`,
      )
      .join('\n');
    const { value, usage } = await completeStructured({
      ...this.llm,
      schema,
      name: 'written_feedback',
      signal,
      messages: [
        { role: 'system', content: loadPrompt('interviewer.system.md') },
        { role: 'user', content: render(loadPrompt('interviewer.feedback.md'), { count: String(feedback.length), facts }) },
      ],
      check: (v) => {
        const wrong = v.summaries.findIndex((text, i) => otherVote(text, feedback[i]!.vote));
        return wrong >= 0
          ? `summaries[${wrong}] names a vote other than ${VOTE_LABEL[feedback[wrong]!.vote]}: keep each interviewer's vote as given`
          : undefined;
      },
    });
    return { feedback: feedback.map((f, i) => ({ ...f, summary: `${VOTE_LABEL[f.vote]}. ${value.summaries[i]!.trim()}` })), usage };
  }

  private stream(ctx: TurnContext, user: string, onToken: OnToken, signal?: AbortSignal): Promise<Spoken> {
    return streamText(
      this.llm,
      [
        { role: 'system', content: systemPrompt(ctx) },
        { role: 'user', content: user },
      ],
      onToken,
      { signal },
    );
  }
}

/** Whether a written summary names a vote other than the interviewer's own ("Inclined" inside "Not Inclined" is not another). */
export function otherVote(text: string, vote: Vote): boolean {
  const said = [...text.matchAll(/\b(strongly\s+not\s+inclined|not\s+inclined|strongly\s+inclined|inclined)\b/gi)];
  return said.some((m) => m[1]!.toLowerCase().replace(/\s+/g, '_') !== vote);
}
