import type { Grade } from '../../src/grading/grade.js';

/** A stored grade for tests that build a debrief or a meeting from grades: empty lists, an offline grader, and what the test sets. */
export function fakeGrade(set: Pick<Grade, 'questionId' | 'rubricId' | 'score' | 'overall' | 'verdict'> & Partial<Grade>): Grade {
  return {
    grader: { kind: 'offline' },
    criteria: [],
    leadershipPrinciples: [],
    coveredPoints: [],
    missedPoints: [],
    strengths: [],
    improvements: [],
    flags: [],
    ...set,
  };
}
