/**
 * Grading-quality benchmark. A benchmark, not a test: it prints figures and never fails on them.
 * - Our calibration set (bench/calibration/): how many orderings (strong > partial > vague >
 *   off-topic) and bounds (each adversarial answer under the answer it must stay under; an
 *   injection never above the plain answer) hold, whether stories are judged against the question
 *   they answer, whether paraphrases cover their key point, and how many cards contradict their own
 *   scores, for the offline grader and for the LLM grader driven by a scripted model that obeys any
 *   instruction it finds (the worst case); and how many story pairs the story-reuse detector gets
 *   right both ways (retold stories caught, different stories from one job not flagged), on its
 *   training pairs and on held-out pairs it was not tuned on.
 * - The offline grader on public short-answer grading sets (../shared/datasets/asag), when present.
 *
 *   npm run bench:grading            human-readable report
 *   npm run bench:grading -- --json  {calibration: {offline, llm}, mohler, sciEntsBank, answersPerSecond}
 *
 * Mohler is a test set only: nothing in the offline grader was tuned on it. The SciEntsBank
 * threshold is chosen on its training split and applied to test-unseen-answers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { Bank } from '../src/bank/bank.js';
import { readBankDir } from '../src/bank/load.js';
import { LlmGrader } from '../src/grading/llm.js';
import { gradeOffline } from '../src/grading/offline/index.js';
import { loadRubrics } from '../src/grading/rubrics.js';
import { inputForQuestion } from '../src/grading/service.js';
import { RUBRICS_DIR } from '../src/start.js';
import { obedientModel } from './calibration/obedient-model.js';
import { type CalibrationReport, runCalibration } from './calibration/run.js';
import { STORIES } from './calibration/stories.js';
import { storyReuse, storyReuseLine } from './calibration/story-reuse.js';

export const ASAG = process.env.ASAG_DIR ?? fileURLToPath(new URL('../../shared/datasets/asag', import.meta.url));
const asJson = process.argv.includes('--json');
const rubrics = loadRubrics(RUBRICS_DIR);
const rubric = rubrics.get('technical')!;

export interface Item {
  question: string;
  reference: string;
  answer: string;
}

export function score(item: Item): number {
  return gradeOffline({ questionId: 'bench', question: item.question, referenceAnswer: item.reference, rubric, answer: item.answer }).score;
}

/** One-feature logistic regression by Newton's method. */
function fitLogistic(xs: number[], ys: boolean[]): { a: number; b: number } {
  let a = 0;
  let b = 0;
  for (let iter = 0; iter < 50; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 0;
    let hab = 0;
    let hbb = 0;
    xs.forEach((x, i) => {
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const e = p - (ys[i] ? 1 : 0);
      const w = p * (1 - p);
      ga += e * x;
      gb += e;
      haa += w * x * x;
      hab += w * x;
      hbb += w;
    });
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    a -= (hbb * ga - hab * gb) / det;
    b -= (haa * gb - hab * ga) / det;
  }
  return { a, b };
}

export function pearson(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function weightedF1(truth: boolean[], predicted: boolean[]): number {
  let f1sum = 0;
  for (const cls of [true, false]) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (p === cls && t === cls) tp++;
      else if (p === cls) fp++;
      else if (t === cls) fn++;
    });
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    f1sum += f1 * truth.filter((t) => t === cls).length;
  }
  return f1sum / truth.length;
}

export function readSemEval(dir: string): Array<Item & { correct: boolean }> {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', textNodeName: 'text' });
  const items: Array<Item & { correct: boolean }> = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort()) {
    const q = parser.parse(readFileSync(join(dir, file), 'utf8')).question;
    const refs = [q.referenceAnswers.referenceAnswer].flat();
    const reference = String(refs[0].text ?? refs[0]);
    for (const a of [q.studentAnswers?.studentAnswer ?? []].flat()) {
      items.push({ question: String(q.questionText), reference, answer: String(a.text ?? ''), correct: a.accuracy === 'correct' });
    }
  }
  return items;
}

/** The calibration set through the offline grader and through the LLM grader with the obedient model. */
export async function calibration() {
  const bank = new Bank(readBankDir());
  const llm = new LlmGrader(obedientModel());
  const input = (id: string, answer: string) => inputForQuestion(bank.require(id), rubrics, answer);
  const offline = await runCalibration(async (id, a) => gradeOffline(input(id, a)), bank, rubrics);
  const model = await runCalibration(async (id, a) => (await llm.grade(input(id, a))).grade, bank, rubrics);
  return { offline, llm: model };
}

const injectionChecks = (r: CalibrationReport) => r.bounds.checks.filter((c) => c.name.includes('flagged'));

function printCalibration(c: Awaited<ReturnType<typeof calibration>>) {
  const line = (name: string, r: CalibrationReport, all: boolean) => {
    const inj = injectionChecks(r);
    const failed = [...r.orderings.checks, ...r.bounds.checks, ...(all ? [...r.themes.checks, ...r.paraphrases.checks] : [])].filter(
      (x) => !x.held,
    );
    return [
      `${name}: orderings ${r.orderings.held}/${r.orderings.total}, bounds ${r.bounds.held}/${r.bounds.total} (injections never above the plain answer and flagged: ${inj.filter((x) => x.held).length}/${inj.length})`,
      ...(all
        ? [
            `    stories judged against their question: ${r.themes.held}/${r.themes.total}; paraphrases covered: ${r.paraphrases.held}/${r.paraphrases.total}`,
          ]
        : []),
      `    card-consistency check: ${r.consistency.violations.length} violations over ${r.consistency.grades} cards`,
      ...failed.slice(0, 12).map((x) => `    not held: ${x.questionId} ${x.name} (${x.detail})`),
      ...(failed.length > 12 ? [`    … and ${failed.length - 12} more`] : []),
      ...r.consistency.violations.slice(0, 12).map((v) => `    violation: ${v}`),
    ].join('\n');
  };
  console.log(`Calibration set (bench/calibration, ${c.offline.orderings.total / 3} questions, all four rubric kinds, ${STORIES.length} stories)
  ${line('offline grader', c.offline, true)}
  ${line('LLM grader, obedient scripted model', c.llm, false)}
    (the scripted model grades clean answers by length alone, so its orderings and stories say nothing about the LLM grader; its injection bounds and cards do)
  ${storyReuseLine(storyReuse())}`);
}

async function main() {
  const cal = await calibration();
  if (!existsSync(ASAG)) {
    if (asJson) console.log(JSON.stringify({ calibration: summary(cal) }));
    else {
      printCalibration(cal);
      console.log(`No ASAG benchmark data at ${ASAG} (set ASAG_DIR): Mohler and SciEntsBank not measured.`);
    }
    return;
  }
  const started = performance.now();
  let graded = 0;

  const seb = join(ASAG, 'semeval2013-task7');
  const train = readSemEval(join(seb, 'training/2way/sciEntsBank')).map((x) => ({ ...x, s: score(x) }));
  const test = readSemEval(join(seb, 'test/2way/sciEntsBank/test-unseen-answers')).map((x) => ({ ...x, s: score(x) }));
  graded += train.length + test.length;
  let best = { threshold: 50, f1: -1 };
  for (let t = 0; t <= 100; t += 0.5) {
    const f1 = weightedF1(
      train.map((x) => x.correct),
      train.map((x) => x.s >= t),
    );
    if (f1 > best.f1) best = { threshold: t, f1 };
  }
  const sciEntsBank = {
    weightedF1: weightedF1(
      test.map((x) => x.correct),
      test.map((x) => x.s >= best.threshold),
    ),
    n: test.length,
    threshold: best.threshold,
    trainWeightedF1: best.f1,
  };
  // The 0–5 scale for Mohler: five times the probability that an answer is correct, as fitted
  // on the SciEntsBank training split (logistic regression of its labels on our score).
  const fit = fitLogistic(
    train.map((x) => x.s / 100),
    train.map((x) => x.correct),
  );
  const toFivePoints = (s: number) => 5 / (1 + Math.exp(-(fit.a * (s / 100) + fit.b)));

  const rows = parseCsv(readFileSync(join(ASAG, 'mohler/mohler_dataset_edited.csv'), 'utf8'), { columns: true }) as Array<
    Record<string, string>
  >;
  const predicted: number[] = [];
  const human: number[] = [];
  for (const r of rows) {
    predicted.push(toFivePoints(score({ question: r.question!, reference: r.desired_answer!, answer: r.student_answer! })));
    human.push(Number(r.score_avg));
    graded++;
  }
  const mohler = {
    pearson: pearson(predicted, human),
    rmse: Math.sqrt(predicted.reduce((s, p, i) => s + (p - human[i]!) ** 2, 0) / predicted.length),
    n: predicted.length,
  };

  const answersPerSecond = graded / ((performance.now() - started) / 1000);

  if (asJson) {
    console.log(JSON.stringify({ calibration: summary(cal), mohler, sciEntsBank, answersPerSecond }));
    return;
  }
  printCalibration(cal);
  const f = (x: number) => x.toFixed(3);
  console.log(`Offline grader on ASAG benchmarks (${ASAG})
Mohler 2011 (n=${mohler.n}, vs score_avg; 0–5 = 5 × P(correct) fitted on SciEntsBank train): Pearson r ${f(mohler.pearson)}, RMSE ${f(mohler.rmse)}
  published: tf-idf cosine 0.33–0.44, bag of words 0.46–0.48, Sultan et al. 2016 0.592, GPT-3.5 3-shot 0.592,
             human vs human 0.597 (RMSE 1.31); predicting the mean gives RMSE 1.107
SemEval-2013 SciEntsBank 2-way, test-unseen-answers (n=${sciEntsBank.n}): weighted F1 ${f(sciEntsBank.weightedF1)}
  threshold ${sciEntsBank.threshold} chosen on the training split (train weighted F1 ${f(best.f1)})
  published: non-neural baseline 0.661, best 2013 system 0.773
Speed: ${Math.round(answersPerSecond)} answers per second (${graded} answers)`);
}

function summary(c: Awaited<ReturnType<typeof calibration>>) {
  const held = (x: { held: number; total: number }) => ({ held: x.held, total: x.total });
  const of = (r: CalibrationReport) => ({
    orderings: held(r.orderings),
    bounds: held(r.bounds),
    injections: { held: injectionChecks(r).filter((x) => x.held).length, total: injectionChecks(r).length },
    themes: held(r.themes),
    paraphrases: held(r.paraphrases),
    cardViolations: r.consistency.violations.length,
    cards: r.consistency.grades,
  });
  const reuse = storyReuse();
  const pairs = (r: (typeof reuse)['train']) => ({ retoldCaught: r.retold, differentNotFlagged: r.different });
  return { offline: of(c.offline), llm: of(c.llm), storyReuse: { train: pairs(reuse.train), heldOut: pairs(reuse.heldOut) } };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
