import { z } from '@hono/zod-openapi';
import { LEADERSHIP_PRINCIPLES } from '../bank/schema.js';
import { BAR_SCORE } from '../grading/bar.js';
import { sameStory } from '../grading/story-reuse.js';
import { storySpecifics } from '../grading/story-specifics.js';
import { sentences } from '../grading/text.js';
import type { StoryEditRow } from '../db/rows.js';
import type { Session } from './schemas.js';

/**
 * The candidate's story bank, read from every behavioural (STAR) answer they gave: each story once
 * however often it was told (retellings found by the story-reuse rule), what it showed and where,
 * and a coverage matrix of the Leadership Principles × stories with the gaps and the over-used
 * stories named, as coaches keep one. Read from the stored sessions; nothing is stored twice but
 * the candidate's own edits (renamed, merged, deleted: `story_edits`), applied to it each time.
 */

export const Story = z
  .object({
    id: z.string().openapi({ description: 'The first telling: "<sessionId>:<position>"; a rename or a later loop keeps it' }),
    title: z.string(),
    renamed: z.boolean().openapi({ description: "The title is the candidate's own" }),
    merged: z.array(z.string()).openapi({ description: 'The ids of the stories merged into this one' }),
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

/** A story as read from the answers, before the candidate's edits: its text finds its retellings. */
type Derived = Story & { text: string };

/** Each story once, from every STAR answer, in the order they were first told. */
export function deriveStories(sessions: Session[]): Derived[] {
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
  const stories: Derived[] = [];
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
      id: storyKey(t.session.id, t.q.position),
      title: words(first, 8),
      renamed: false,
      merged: [],
      situation: words(first, 30),
      principles: shown,
      figures: [...new Set(storySpecifics(t.text).quantities.map((x) => x.text))].slice(0, 6),
      told: [told],
      text: t.text,
    });
  }
  return stories;
}

/** A story's key: its first telling, the session and the question's position in it. */
export const storyKey = (sessionId: string, position: number) => `${sessionId}:${position}`;

/** What became of a story the answers told: shown (under the id of the story it is part of), or deleted. */
export type StoryFate = { shownAs: string } | { deleted: true };

/**
 * The candidate's edits applied to the stories read from the answers: a merged story's tellings,
 * principles and figures join the story it was merged into (through a chain of merges); a deleted
 * story (and what was merged into it) is not shown; a rename changes the title, not the id.
 * `fates` tells, for every story read, what became of it.
 */
export function applyStoryEdits(derived: Story[], edits: StoryEditRow[]): { stories: Story[]; fates: Map<string, StoryFate> } {
  const byId = new Map(derived.map((s) => [s.id, s]));
  const edit = new Map(edits.map((e) => [e.storyKey, e]));
  const root = (id: string) => {
    const seen = new Set<string>();
    let at = id;
    for (;;) {
      seen.add(at);
      const next = edit.get(at)?.mergedInto;
      if (!next || !byId.has(next) || seen.has(next)) return at;
      at = next;
    }
  };
  const deleted = (id: string) => {
    const seen = new Set<string>();
    for (let at: string | null | undefined = id; at && byId.has(at) && !seen.has(at); at = edit.get(at)?.mergedInto) {
      seen.add(at);
      if (edit.get(at)?.deletedAt) return true;
    }
    return false;
  };
  const groups = new Map<string, Story[]>();
  const fates = new Map<string, StoryFate>();
  for (const s of derived) {
    if (deleted(s.id)) {
      fates.set(s.id, { deleted: true });
      continue;
    }
    const r = root(s.id);
    fates.set(s.id, { shownAs: r });
    groups.set(r, [...(groups.get(r) ?? []), s]);
  }
  const stories: Story[] = [];
  for (const [id, members] of groups) {
    const head = byId.get(id)!;
    const title = edit.get(id)?.title;
    const principles: Story['principles'] = [];
    for (const p of members.flatMap((m) => m.principles)) if (!principles.some((x) => x.name === p.name)) principles.push(p);
    stories.push({
      id,
      title: title ?? head.title,
      renamed: Boolean(title),
      merged: members.filter((m) => m.id !== id).map((m) => m.id),
      situation: head.situation,
      principles,
      figures: [...new Set(members.flatMap((m) => m.figures))],
      told: members.flatMap((m) => m.told).sort((a, b) => a.at.localeCompare(b.at)),
    });
  }
  return { stories, fates };
}

/** The bank of these stories: the coverage matrix, the gaps and the over-used stories. */
export function bankOf(stories: Story[]): StoryBank {
  const coverage = LEADERSHIP_PRINCIPLES.map((principle) => ({
    principle,
    stories: stories.filter((s) => s.principles.some((p) => p.name === principle)).map((s) => s.id),
  }));
  return {
    stories,
    coverage,
    gaps: coverage.filter((c) => !c.stories.length).map((c) => `No story shows ${c.principle}.`),
    overUsed: stories
      .filter((s) => s.told.length >= OVER_USED)
      .map((s) => `"${s.title}" was told ${s.told.length} times: keep it for one principle and find others.`),
  };
}

/** The story bank of these sessions, with the candidate's edits applied. */
export function buildStoryBank(sessions: Session[], edits: StoryEditRow[] = []): StoryBank {
  return bankOf(applyStoryEdits(deriveStories(sessions), edits).stories);
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
