import { LEVEL_SIGNALS } from '../level-signals.js';
import { RubricError } from '../../../errors.js';
import type { Rubric } from '../../rubrics.js';
import type { Scorer } from '../context.js';
import { action } from './action.js';
import { architecture } from './architecture.js';
import { capacity } from './capacity.js';
import { clarity } from './clarity.js';
import { codeQuality, communication, complexity, testing } from './coding.js';
import { correctness } from './correctness.js';
import { dataModel } from './data-model.js';
import { depth } from './depth.js';
import { ideas } from './ideas.js';
import { leadershipPrinciples } from './leadership-principles.js';
import { personal } from './personal.js';
import { principles } from './principles.js';
import { reflection } from './reflection.js';
import { reliability } from './reliability.js';
import { requirements } from './requirements.js';
import { result } from './result.js';
import { scalability } from './scalability.js';
import { situationTask } from './situation-task.js';
import { specificity } from './specificity.js';
import { specifics } from './specifics.js';
import { tradeoffs } from './tradeoffs.js';

/**
 * The offline grader's scorer for each rubric criterion id, one module each. A rubric criterion
 * without a scorer is refused at start-up (`checkScorers`), never graded by a silent fallback.
 */
export const SCORERS: ReadonlyMap<string, Scorer> = new Map([
  // technical
  ['correctness', correctness],
  ['depth', depth],
  ['specifics', specifics],
  ['tradeoffs', tradeoffs],
  ['clarity', clarity],
  // system design (and tradeoffs above)
  ['requirements', requirements],
  ['capacity', capacity],
  ['architecture', architecture],
  ['data_model', dataModel],
  ['scalability', scalability],
  ['reliability', reliability],
  // STAR
  ['situation_task', situationTask],
  ['action', action],
  ['result', result],
  ['leadership_principles', leadershipPrinciples],
  ['reflection', reflection],
  // company
  ['specificity', specificity],
  ['principles', principles],
  ['personal', personal],
  ['ideas', ideas],
  // coding (correctness above reads the reference; the coding round's tests decide it)
  ['complexity', complexity],
  ['code_quality', codeQuality],
  ['communication', communication],
  ['testing', testing],
]);

/** Every criterion of every rubric has a scorer, or start-up stops naming the rubric and criterion. */
export function checkScorers(rubrics: Iterable<Rubric>): void {
  const all = [...rubrics];
  const missing = all.flatMap((r) => r.criteria.filter((c) => !SCORERS.has(c.id)).map((c) => `${r.id}.${c.id}`));
  if (missing.length) {
    throw new RubricError(
      `the offline grader has no scorer for ${missing.join(', ')}: add one in src/grading/offline/scorers/ and register it in scorers/index.ts`,
    );
  }
  const unread = all.flatMap((r) =>
    Object.keys(r.bar ?? {})
      .filter((id) => !LEVEL_SIGNALS.includes(id))
      .map((id) => `${r.id}.bar.${id}`),
  );
  if (unread.length) {
    throw new RubricError(
      `the offline grader cannot read the level of ${unread.join(', ')}: use one of ${LEVEL_SIGNALS.join(', ')}, or add a reader in src/grading/offline/level-signals.ts`,
    );
  }
}

export function scorerFor(rubric: Rubric, criterionId: string): Scorer {
  const scorer = SCORERS.get(criterionId);
  if (!scorer) throw new RubricError(`the offline grader has no scorer for ${rubric.id}.${criterionId}`);
  return scorer;
}
