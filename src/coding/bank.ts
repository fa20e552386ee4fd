import type { BankEntry } from '../bank/schema.js';
import type { CodingPack, Problem } from './pack.js';

/** A coding problem's id in the question bank: `code-<problem id>`. */
export const CODING_ID_PREFIX = 'code-';

/** The coding problem a bank question stands for, by its id (undefined for any other question). */
export const problemIdOf = (questionId: string): string | undefined =>
  questionId.startsWith(CODING_ID_PREFIX) ? questionId.slice(CODING_ID_PREFIX.length) : undefined;

const LABEL: Record<Problem['difficulty'], string> = { easy: 'an easy', medium: 'a medium', hard: 'a hard' };

/**
 * The pack's problems as questions of the bank (category `coding`, the `coding` rubric): what the
 * interviewer asks is the problem and how the round works; the reference answer is the expected
 * complexity and the reference solution (shown once the question is over); the signals are the
 * hints and the edge cases an interviewer listens for; the pitfalls, why the wrong solutions fail.
 */
export function codingEntries(pack: CodingPack): BankEntry[] {
  return pack.problems.map((p) => ({
    id: `${CODING_ID_PREFIX}${p.id}`,
    number: null,
    prompt:
      `Here is ${LABEL[p.difficulty]} coding problem: **${p.title}**. The statement, examples and constraints are beside the editor. ` +
      'Tell me your approach first, then write it in JavaScript or Python: Run checks the examples, Submit runs every test. ' +
      'When you have submitted, walk me through your solution and its time and space complexity.',
    referenceAnswer: [
      `Expected complexity: time ${p.complexity.time}, space ${p.complexity.space}.`,
      `Hints: ${p.hints.join(' ')}`,
      `Edge cases: ${p.edgeCases.map((e) => e.name).join('; ')}.`,
      'A reference solution (Python):',
      p.reference.python,
    ].join('\n'),
    category: 'coding',
    rubric: 'coding',
    topics: [],
    leadershipPrinciples: [],
    signals: [...p.hints, ...p.edgeCases.map((e) => `Handles ${e.name}`)],
    pitfalls: p.wrong.map((w) => w.why),
    source: 'mockloop coding pack',
  }));
}
