import { sameStory } from '../../src/grading/story-reuse.js';
import { isSame, STORY_PAIRS, type StoryPair } from './story-pairs.js';
import { HELD_OUT_PAIRS } from './story-pairs-heldout.js';

/**
 * The story-reuse detector on the labelled story pairs, both ways: retold stories caught, and
 * different stories (from the same job, or with nothing specific) not flagged. A pair counts as
 * right only when the detector is right in both orders of its answers.
 */
export interface StoryReuseReport {
  retold: { caught: number; total: number };
  different: { notFlagged: number; total: number };
  /** The pairs it got wrong, by name. */
  wrong: string[];
}

export function measureStoryReuse(pairs: StoryPair[]): StoryReuseReport {
  const report: StoryReuseReport = { retold: { caught: 0, total: 0 }, different: { notFlagged: 0, total: 0 }, wrong: [] };
  for (const p of pairs) {
    const right = [sameStory(p.earlier, p.later), sameStory(p.later, p.earlier)].every((m) => m.same === isSame(p));
    if (isSame(p)) {
      report.retold.total++;
      if (right) report.retold.caught++;
    } else {
      report.different.total++;
      if (right) report.different.notFlagged++;
    }
    if (!right) report.wrong.push(`${p.kind} ${p.name}`);
  }
  return report;
}

export function storyReuse() {
  return { train: measureStoryReuse(STORY_PAIRS), heldOut: measureStoryReuse(HELD_OUT_PAIRS) };
}

export function storyReuseLine({ train, heldOut }: ReturnType<typeof storyReuse>): string {
  const r = (x: StoryReuseReport) => `${x.retold.caught}/${x.retold.total}`;
  const d = (x: StoryReuseReport) => `${x.different.notFlagged}/${x.different.total}`;
  return [
    `story reuse: retold caught ${r(train)}, different not flagged ${d(train)} (held-out: ${r(heldOut)}, ${d(heldOut)})`,
    ...[...train.wrong, ...heldOut.wrong.map((w) => `held-out ${w}`)].map((w) => `    wrong: ${w}`),
  ].join('\n');
}
