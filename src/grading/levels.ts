import { z } from '@hono/zod-openapi';
import { type Level as LevelId, LEVELS } from '../shapes.js';

/**
 * The levels a candidate practises for, and where an answer stands against the bar of one.
 * What rises with the level is written per rubric in its YAML (`bar`): for a story its scope,
 * the ambiguity handled, the size of the outcome and the influence beyond the candidate's own
 * team; for a design its scale, trade-offs and operations.
 */
export const Level = z.enum(LEVELS).openapi({ description: 'SDE I (L4), SDE II (L5), SDE III (L6) or Principal (L7)' });
export type Level = LevelId;
export const DEFAULT_LEVEL: Level = 'L5';

export const LEVEL_NAMES: Record<Level, string> = {
  L4: 'SDE I',
  L5: 'SDE II',
  L6: 'SDE III',
  L7: 'Principal',
};
/** "SDE II (L5)". */
export const levelName = (level: Level) => `${LEVEL_NAMES[level]} (${level})`;

/** The level as a number, for comparing: L4 → 4. */
export const rankOf = (level: Level) => Number(level.slice(1));
export const levelAt = (rank: number): Level => `L${Math.max(4, Math.min(7, Math.round(rank)))}` as Level;
/** One level down, for a hire one level down; none below SDE I. */
export const levelBelow = (level: Level): Level | null => (level === 'L4' ? null : levelAt(rankOf(level) - 1));

export const BAR_VERDICTS = ['below', 'at', 'above'] as const;
export type BarVerdict = (typeof BAR_VERDICTS)[number];

export const BarDimension = z.object({
  id: z.string(),
  name: z.string(),
  shows: Level.openapi({ description: 'The level this part of the answer shows' }),
  evidence: z.string().nullable().openapi({ description: "The candidate's sentence that shows it, if any" }),
});
export type BarDimension = z.infer<typeof BarDimension>;

/** Where an answer stands against the bar of the level it was graded for. */
export const Bar = z
  .object({
    level: Level,
    verdict: z.enum(BAR_VERDICTS),
    shows: Level.nullable().openapi({ description: 'The level the answer shows as a whole; null when it is not an answer' }),
    dimensions: z.array(BarDimension),
    reason: z.string().openapi({ description: 'Why, in words: what falls short of the level, or what meets it' }),
  })
  .openapi('Bar');
export type Bar = z.infer<typeof Bar>;
