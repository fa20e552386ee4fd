import { clampLevel, distinctMatches, find, hits, markerLevel, type Scorer } from '../context.js';
import { clarity } from './clarity.js';

/**
 * The coding rubric's criteria that the candidate's words can show. Correctness comes from the
 * test results and the actual complexity from running the code on growing inputs (src/coding);
 * these read what the candidate said and wrote about them.
 */

const BIG_O = /\bO\(\s*[^()]{1,24}(?:\([^()]{0,12}\)[^()]{0,12})?\)/gi;
const COMPLEXITY_WORDS = /\b(linear|quadratic|logarithmic|constant|exponential|n log n)\s+(time|space|memory|extra space)\b/gi;
const SPACE = /\b(space|memory|extra (array|map|set|storage))\b/i;

/** A complexity as it is written: "O(n)", whatever case it was matched in. */
const bigO = (o: string) => o.replace(/^o\(/, 'O(');

/** "O( N log N )" and "O(nlogn)" read the same. */
const normal = (o: string) => o.toLowerCase().replace(/\s+/g, '').replace(/\*/g, '');

/** complexity: states the time and space, and matches the expected complexity when the reference gives it. */
export const complexity: Scorer = (ctx) => {
  const stated = distinctMatches(ctx.answer, BIG_O);
  const words = distinctMatches(ctx.answer, COMPLEXITY_WORDS);
  const expected = distinctMatches(ctx.input.referenceAnswer ?? '', BIG_O).map(normal);
  const n = stated.length + words.length;
  if (n === 0) {
    return { level: null, evidence: [], shows: '', lacks: 'States no time or space complexity' };
  }
  const evidence = hits(ctx, stated.length ? BIG_O : COMPLEXITY_WORDS);
  // "O(n) time and O(n) space" states both with one distinct complexity.
  const withSpace = SPACE.test(ctx.answer);
  const matchesExpected = expected.length > 0 && stated.some((o) => expected.includes(normal(o)));
  let level = withSpace ? 4 : 3;
  if (matchesExpected && withSpace) level = 5;
  let held: string | undefined;
  if (expected.length && stated.length && !matchesExpected) {
    level = 2;
    held = `The stated complexity (${stated.slice(0, 2).join(', ')}) is not the expected one`;
  }
  return {
    level: clampLevel(level),
    evidence,
    shows: `States ${[...stated, ...words].slice(0, 3).map(bigO).join(', ')}`,
    lacks: withSpace
      ? matchesExpected
        ? ''
        : 'Check the stated complexity against the loops and data structures of the code'
      : 'State the space as well as the time',
    ...(held && { held }),
  };
};

const EDGE_CASES =
  /\b(edge cases?|corner cases?|empty (input|list|array|string|tree|grid)|(a )?single (element|value|node|item)|one element|duplicates?|negative (numbers?|values?)|overflow|null|zero|large (input|inputs|n)|boundar(y|ies)|off[\s-]by[\s-]one|unit tests?|test(ed|ing)? (it|with|on)|dry[\s-]run|walk(ed)? through (an|the) example|trace[ds]? through)\b/gi;

/** testing: examples and edge cases the candidate checks, unprompted (counted alone: covering the reference says nothing about testing). */
export const testing: Scorer = (ctx) => {
  const m = find(ctx, EDGE_CASES);
  const level = markerLevel(m.count, [1, 2, 4, 6]);
  return {
    level,
    evidence: m.evidence,
    shows: m.count ? `Tests and edge cases: ${m.found.slice(0, 4).join(', ')}` : '',
    lacks:
      m.count >= 6
        ? ''
        : m.count
          ? 'Walk through an example and name more edge cases: empty input, one element, duplicates, negatives, a large input'
          : 'No example walked through and no edge case named (empty input, one element, duplicates, negatives, a large input)',
  };
};

/** communication: the approach explained in sentences a listener can follow. */
export const communication: Scorer = (ctx) => {
  const scored = clarity(ctx);
  return scored.lacks.startsWith('Structure it')
    ? { ...scored, lacks: 'Say the approach and its complexity before the code, then walk through it' }
    : scored;
};

/** A function or class definition: the line of code the quality is read from. */
const DEFINITION = /\b(?:def|function|class)\s+[A-Za-z_]\w*/;
const CODE_LINE = /^\s*(def |class |function |const |let |var |for |while |if |return\b|[A-Za-z_]\w*\s*(=|\+=|-=)\s)/;
const IDENTIFIER = /\b(?:def|function|const|let|var|class)\s+([A-Za-z_]\w*)|\b([A-Za-z_]\w*)\s*=(?!=)/g;
/** Loop counters and the usual short names an interviewer does not hold against anyone. */
const CONVENTIONAL = new Set(['i', 'j', 'k', 'n', 'm', 'x', 'y', 'a', 'b', 'c', 'r', 'lo', 'hi', 'dp']);

/** code_quality: read from code quoted in the answer - names that say what they hold, small functions. */
export const codeQuality: Scorer = (ctx) => {
  const lines = ctx.answer.split('\n').filter((l) => CODE_LINE.test(l));
  if (lines.length < 2) return { level: null, evidence: [], shows: '', lacks: 'No code quoted to read its quality from' };
  const names = [...ctx.answer.matchAll(IDENTIFIER)].map((m) => m[1] ?? m[2]!).filter((x) => !CONVENTIONAL.has(x));
  const cryptic = names.filter((x) => x.length <= 2).length;
  const long = lines.filter((l) => l.length > 120).length;
  let level = 4;
  if (names.length && cryptic / names.length > 0.4) level -= 2;
  if (long) level -= 1;
  if (names.length >= 3 && cryptic === 0 && !long) level += 1;
  return {
    level: clampLevel(level),
    evidence: hits(ctx, DEFINITION, 1),
    shows: cryptic ? '' : 'Names say what they hold',
    lacks: cryptic
      ? `Unclear short names: ${[...new Set(names.filter((x) => x.length <= 2))].slice(0, 4).join(', ')}`
      : long
        ? 'Some lines are too long to read'
        : '',
  };
};
