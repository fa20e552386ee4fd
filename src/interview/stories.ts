import { z } from '@hono/zod-openapi';
import { LEADERSHIP_PRINCIPLES } from '../bank/schema.js';
import { BAR_SCORE } from '../grading/bar.js';
import { sameStory } from '../grading/story-reuse.js';
import { storySpecifics } from '../grading/story-specifics.js';
import { sentences } from '../grading/text.js';
import type { Session } from './schemas.js';

/**
 * The candidate's story bank, read from every behavioural (STAR) answer they gave: each story once
 * however often it was told (retellings found by the story-reuse rule), what it showed and where,
 * and a coverage matrix of the Leadership Principles × stories with the gaps and the over-used
 * stories named, as coaches keep one. Read from the stored sessions; nothing is stored twice.
 */

export const Story = z
  .object({
    id: z.string().openapi({ description: 'The first telling: "<sessionId>:<position>"' }),
    title: z.string(),
    situation: z.string().openapi({ description: 'Where the story starts, in a line' }),
    principles: z.array(z.object({ name: z.string(), evidence: z.string().nullable() })),
    figures: z.array(z.string()).openapi({ description: 'The figures the story cites' }),
    told: z.array(
      z.object({
        sessionId: z.string(),
        position: z.number().int(),
        questionId: z.string(),
        prompt: z.string(),
        score: z.number().nullable(),
        at: z.string(),
      }),
    ),
  })
  .openapi('Story');
export type Story = z.infer<typeof Story>;

export const StoryBank = z
  .object({
    stories: z.array(Story),
    coverage: z
      .array(z.object({ principle: z.string(), stories: z.array(z.string()).openapi({ description: 'Ids of the stories that show it' }) }))
      .openapi({
        description:
          'The 16 Leadership Principles, each with the stories that show it: the grader quoted evidence for it, or its question asked for it and was answered at a hire score',
      }),
    gaps: z.array(z.string()).openapi({ description: 'What the bank lacks, in words: "No story shows Frugality."' }),
    overUsed: z.array(z.string()).openapi({ description: 'Stories told three times or more, in words' }),
  })
  .openapi('StoryBank');
export type StoryBank = z.infer<typeof StoryBank>;

/** A story told this often or more is over-used. */
export const OVER_USED = 3;

const words = (s: string, n: number) => {
  const w = s.replace(/[.!?]+$/, '').split(/\s+/);
  return w.length > n ? `${w.slice(0, n).join(' ')}…` : w.join(' ');
};

export function buildStoryBank(sessions: Session[]): StoryBank {
  const tellings = sessions
    .slice()
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .flatMap((s) =>
      s.questions
        .filter((q) => q.rubricId === 'star')
        .map((q) => ({
          session: s,
          q,
          text: s.messages
            .filter((m) => m.role === 'candidate' && m.kind === 'answer' && m.sessionQuestionId === q.id)
            .map((m) => m.content)
            .join('\n\n'),
        }))
        .filter((t) => t.text.trim()),
    );
  const stories: Array<Story & { text: string }> = [];
  for (const t of tellings) {
    const others = tellings.filter((x) => x !== t).map((x) => x.text);
    const told = {
      sessionId: t.session.id,
      position: t.q.position,
      questionId: t.q.questionId,
      prompt: t.q.prompt ?? '',
      score: t.q.grade?.score ?? null,
      at: t.q.answeredAt ?? t.session.createdAt,
    };
    const shown = principlesShown(t.q);
    const same = stories.find((s) => sameStory(s.text, t.text, others).same);
    if (same) {
      same.told.push(told);
      for (const p of shown) if (!same.principles.some((x) => x.name === p.name)) same.principles.push(p);
      continue;
    }
    const first = sentences(t.text)[0]?.text ?? t.text;
    stories.push({
      id: `${t.session.id}:${t.q.position}`,
      title: words(first, 8),
      situation: words(first, 30),
      principles: shown,
      figures: [...new Set(storySpecifics(t.text).quantities.map((x) => x.text))].slice(0, 6),
      told: [told],
      text: t.text,
    });
  }
  const coverage = LEADERSHIP_PRINCIPLES.map((principle) => ({
    principle,
    stories: stories.filter((s) => s.principles.some((p) => p.name === principle)).map((s) => s.id),
  }));
  return {
    stories: stories.map(({ text: _text, ...s }) => s),
    coverage,
    gaps: coverage.filter((c) => !c.stories.length).map((c) => `No story shows ${c.principle}.`),
    overUsed: stories
      .filter((s) => s.told.length >= OVER_USED)
      .map((s) => `"${s.title}" was told ${s.told.length} times: keep it for one principle and find others.`),
  };
}

/** The principles an answer showed: those its question asks, at a hire score, and those the grade found evidence for. */
function principlesShown(q: Session['questions'][number]): Story['principles'] {
  const g = q.grade;
  if (!g) return [];
  const found = g.leadershipPrinciples.map((p) => ({ name: p.name, evidence: p.evidence }));
  const asked =
    g.score >= BAR_SCORE
      ? q.leadershipPrinciples.filter((p) => !found.some((f) => f.name === p)).map((name) => ({ name, evidence: null }))
      : [];
  return [...found, ...asked];
}
