/**
 * How the offline grader's content measure was tuned: on the SemEval-2013 *training* splits only
 * (SciEntsBank and Beetle), never on Mohler or on any test split. Prints the area under the ROC
 * curve (correct vs not) of the grade and of its parts.
 *
 *   node --import tsx bench/tune-semeval.ts
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeContent } from '../src/grading/analysis.js';
import { ASAG, readSemEval, score } from './grading.js';

function auc(pos: number[], neg: number[]): number {
  let wins = 0;
  for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}

if (!existsSync(ASAG)) {
  console.log('no benchmark data');
} else {
  for (const set of ['sciEntsBank', 'beetle']) {
    const items = readSemEval(join(ASAG, 'semeval2013-task7/training/2way', set));
    const measures: Record<string, (x: (typeof items)[number]) => number> = {
      grade: (x) => score(x),
      content: (x) => analyzeContent(x.question, x.reference, x.answer).content,
      recall: (x) => analyzeContent(x.question, x.reference, x.answer).recall,
      points: (x) => analyzeContent(x.question, x.reference, x.answer).pointScore,
      precision: (x) => analyzeContent(x.question, x.reference, x.answer).precision,
    };
    const line = Object.entries(measures).map(([name, f]) => {
      const v = items.map((x) => ({ v: f(x), c: x.correct }));
      return `${name} ${auc(
        v.filter((x) => x.c).map((x) => x.v),
        v.filter((x) => !x.c).map((x) => x.v),
      ).toFixed(3)}`;
    });
    console.log(`${set} train (n=${items.length}) AUC: ${line.join('  ')}`);
  }
}
