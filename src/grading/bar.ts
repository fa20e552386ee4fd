import { type Flag, NOT_AN_ANSWER } from './grade.js';
import { type Bar, type BarDimension, type Level, LEVEL_NAMES, levelAt, levelName, rankOf } from './levels.js';
import type { Rubric } from './rubrics.js';

/**
 * Where an answer stands against the bar of a level, by one rule for both graders: each of the
 * rubric's bar dimensions (scope, ambiguity… in its YAML) is read as the level it shows, by our
 * patterns offline or by the model; the answer shows the highest level that at least half of its
 * dimensions reach; it is at the bar when that is the level asked for, above it when higher,
 * below it when lower. An answer that does not earn a hire score (or is not an answer) is below
 * the bar of every level, whatever its scope: a big story told badly does not meet a bar.
 */

/** The score an answer needs to be at any bar: the hire line of `verdictFor`. */
export const BAR_SCORE = 62;

/** One dimension as a grader read it. */
export interface DimensionReading {
  id: string;
  shows: Level;
  evidence: string | null;
}

/** The highest level at least half of the dimensions reach. */
export function levelShown(readings: readonly DimensionReading[]): Level {
  const ranks = readings.map((r) => rankOf(r.shows)).sort((a, b) => b - a);
  if (!ranks.length) return 'L4';
  return levelAt(ranks[Math.ceil(ranks.length / 2) - 1]!);
}

const lower = (s: string) => s.replace(/^\w/, (c) => c.toLowerCase()).replace(/\.$/, '');

export function settleBar(
  rubric: Rubric,
  level: Level,
  readings: readonly DimensionReading[],
  score: number,
  flags: readonly Flag[],
): Bar | undefined {
  const expectations = rubric.bar;
  if (!expectations) return undefined;
  const dimensions: BarDimension[] = Object.entries(expectations).map(([id, e]) => {
    const r = readings.find((x) => x.id === id);
    return { id, name: e.name, shows: r?.shows ?? 'L4', evidence: r?.evidence ?? null };
  });
  const name = levelName(level);
  const notAnAnswer = flags.some((f) => NOT_AN_ANSWER.includes(f));
  const shows = notAnAnswer ? null : levelShown(dimensions);
  const short = dimensions.filter((d) => rankOf(d.shows) < rankOf(level));
  const gaps = short
    .slice(0, 3)
    .map((d) => `${d.name}: ${lower(expectations[d.id]![d.shows])} (${LEVEL_NAMES[level]} expects: ${lower(expectations[d.id]![level])}).`);
  if (shows === null || score < BAR_SCORE) {
    const why =
      shows === null
        ? 'it does not answer the question'
        : `the answer scores ${Math.round(score)}, under the ${BAR_SCORE} a hire needs at any level`;
    return { level, verdict: 'below', shows, dimensions, reason: [`Below the ${name} bar: ${why}.`, ...gaps].join(' ') };
  }
  const met = dimensions.filter((d) => rankOf(d.shows) >= rankOf(level)).map((d) => d.name.toLowerCase());
  if (rankOf(shows) < rankOf(level)) {
    return {
      level,
      verdict: 'below',
      shows,
      dimensions,
      // A good answer can still miss the level: the card says both, so its score and its bar do not read as a contradiction.
      reason: [`Below the ${name} bar: a good answer, at the bar of ${levelName(shows)}.`, ...gaps].join(' '),
    };
  }
  const verdict = rankOf(shows) > rankOf(level) ? 'above' : 'at';
  const head = verdict === 'above' ? `Above the ${name} bar: it shows ${levelName(shows)}` : `At the ${name} bar`;
  return { level, verdict, shows, dimensions, reason: `${head}, on ${listOf(met)}.` };
}

function listOf(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'its answer';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** What to do to reach the bar, for "To improve": the probe of each dimension below the level. */
export function barAdvice(rubric: Rubric, bar: Bar | undefined): string[] {
  if (!bar || bar.verdict !== 'below' || !rubric.bar || bar.shows === null) return [];
  return bar.dimensions
    .filter((d) => rankOf(d.shows) < rankOf(bar.level))
    .slice(0, 2)
    .map((d) => `For the ${LEVEL_NAMES[bar.level]} bar, show ${d.name.toLowerCase()}: ${lower(rubric.bar![d.id]![bar.level])}.`);
}
