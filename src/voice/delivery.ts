import { z } from '@hono/zod-openapi';
import { I_ACTION, NUMBER_WITH_UNIT, REFLECTION, RESULT_VERB, SITUATION, TASK } from '../grading/offline/lexicon.js';
import { sentences } from '../grading/text.js';

/**
 * How an answer was spoken, from its transcript and timing alone: speaking time against the
 * question's time box, pace, filler words, long pauses and, for STAR answers, how the time was
 * split between the situation and what the candidate did. Computed by our code, shown beside
 * the grade and never part of it.
 */

/** A stretch of speech with its times in seconds from the start of the recording. */
export const Segment = z
  .object({
    start: z.number().min(0).max(36000),
    end: z.number().min(0).max(36000),
    text: z.string().max(20000),
  })
  .refine((s) => s.end >= s.start, { message: 'must not be before start', path: ['end'] });
export type Segment = z.infer<typeof Segment>;

/** What was said, as transcribed: the words (fillers included), how long it took and, where known, when each part was said. */
export interface Speech {
  text: string;
  durationSeconds: number;
  /** Empty when the transcriber gave no timing: pauses are then unknown and STAR time is estimated from words. */
  segments: Segment[];
}

export const FILLERS = ['um', 'uh', 'like', 'you know', 'sort of', 'basically'] as const;

/** A pause at least this long (seconds) between two stretches of speech counts as long. */
export const LONG_PAUSE_SECONDS = 3;
/** Pace bands (words per minute): slower than the first reads as hesitant, faster than the second as rushed. */
export const PACE = { slow: 110, fast: 170 } as const;
/** Fillers per minute above which listeners notice them. */
export const FILLERS_NOTICEABLE = 4;
/** In a STAR answer, the situation and task should take at most this share of the time. */
export const SITUATION_SHARE_MAX = 0.35;

export const Delivery = z
  .object({
    source: z.enum(['server', 'browser']).openapi({ description: "Transcribed by this server's transcription model, or by the browser" }),
    speakingSeconds: z.number(),
    timeBoxSeconds: z.number().int(),
    words: z.number().int(),
    wordsPerMinute: z.number(),
    fillers: z.object({
      total: z.number().int(),
      perMinute: z.number(),
      counts: z.array(z.object({ filler: z.enum(FILLERS), count: z.number().int() })),
    }),
    pauses: z
      .object({ long: z.number().int(), longestSeconds: z.number(), thresholdSeconds: z.number() })
      .nullable()
      .openapi({ description: 'null when the transcript has no timing' }),
    star: z
      .object({
        situationSeconds: z.number(),
        actionSeconds: z.number(),
        resultSeconds: z.number(),
        situationShare: z.number(),
        estimated: z.boolean().openapi({ description: 'True when split by words because the transcript has no timing' }),
      })
      .nullable()
      .openapi({ description: 'For STAR answers: time on situation and task, on actions, on results' }),
    notes: z.array(z.string()).openapi({ description: 'What to work on, in plain words' }),
  })
  .openapi('Delivery');
export type Delivery = z.infer<typeof Delivery>;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const countWords = (text: string) => text.match(WORD)?.length ?? 0;
const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Filler words and phrases, each with the uses that are not fillers left out: "I like", "looks
 * like", "would like", "like a cache"; "you know that…", "you know what"; "a sort of".
 */
const FILLER_PATTERNS: Record<(typeof FILLERS)[number], RegExp> = {
  um: /\b(um+|umm+|erm+|hmm+)\b/gi,
  uh: /\b(uh+|uhm+|er|ah)\b/gi,
  // "like," anywhere, or "like" after a pause or a linking word ("and like we…", "it was like…"), but not "would like to".
  like: /\blike\b(?=\s*,)|(?<=(?:^|[,.;:!?]|\b(?:um|uh|and|but|so|just|was|is|were|it's))\s*)like\b(?!\s+to\b)/gi,
  'you know':
    /\byou know\b(?!\s+(that|what|how|why|where|when|who|which|whether|if|the|a|an|it|him|her|them|this|about|each|his|their|our|my|your)\b)/gi,
  'sort of': /(?<!\b(a|the|this|that|what|some|any|every|one|which)\s)\b(sort|kind) of\b/gi,
  basically: /\bbasically\b/gi,
};

function fillerCounts(text: string) {
  return FILLERS.map((filler) => ({ filler, count: text.match(FILLER_PATTERNS[filler])?.length ?? 0 }));
}

type Part = 'situation' | 'action' | 'result';
const PARTS: Part[] = ['situation', 'action', 'result'];

/**
 * Which parts of a STAR story a sentence tells, as shares (a sentence with an action and its
 * result counts half each); undefined when it gives no sign (it then belongs with the one before).
 */
function partsOf(sentence: string): Record<Part, number> | undefined {
  const hits = (re: RegExp) => sentence.match(re)?.length ?? 0;
  const scores: Record<Part, number> = {
    situation: hits(SITUATION) + hits(TASK),
    action: hits(I_ACTION),
    result: hits(RESULT_VERB) + hits(NUMBER_WITH_UNIT) + hits(REFLECTION),
  };
  const sum = scores.situation + scores.action + scores.result;
  if (!sum) return undefined;
  return { situation: scores.situation / sum, action: scores.action / sum, result: scores.result / sum };
}

/** Time per STAR part: each sentence gets its segment's time in proportion to its words. */
function starSplit(speech: Speech, speakingSeconds: number) {
  const timed = speech.segments.length > 0;
  const pieces = timed
    ? speech.segments.map((s) => ({ text: s.text, seconds: Math.max(0, s.end - s.start) }))
    : [{ text: speech.text, seconds: speakingSeconds }];
  const totals: Record<Part, number> = { situation: 0, action: 0, result: 0 };
  let current: Record<Part, number> = { situation: 1, action: 0, result: 0 };
  for (const piece of pieces) {
    const parts = sentences(piece.text);
    const words = parts.reduce((n, s) => n + countWords(s.text), 0);
    for (const s of parts) {
      current = partsOf(s.text) ?? current;
      const seconds = words ? (piece.seconds * countWords(s.text)) / words : 0;
      for (const part of PARTS) totals[part] += seconds * current[part];
    }
  }
  const sum = totals.situation + totals.action + totals.result;
  return {
    situationSeconds: round1(totals.situation),
    actionSeconds: round1(totals.action),
    resultSeconds: round1(totals.result),
    situationShare: sum ? Math.round((totals.situation / sum) * 100) / 100 : 0,
    estimated: !timed,
  };
}

/** Gaps between consecutive stretches of speech. */
function pausesOf(segments: Segment[]) {
  if (segments.length < 2) return segments.length ? { long: 0, longestSeconds: 0, thresholdSeconds: LONG_PAUSE_SECONDS } : null;
  const ordered = [...segments].sort((a, b) => a.start - b.start);
  const gaps = ordered.slice(1).map((s, i) => Math.max(0, s.start - ordered[i]!.end));
  return {
    long: gaps.filter((g) => g >= LONG_PAUSE_SECONDS).length,
    longestSeconds: round1(Math.max(0, ...gaps)),
    thresholdSeconds: LONG_PAUSE_SECONDS,
  };
}

/** "2:05": minutes and seconds. */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export function measureDelivery(speech: Speech, question: { timeBoxSeconds: number; star: boolean }, source: Delivery['source']): Delivery {
  const lastEnd = speech.segments.reduce((m, s) => Math.max(m, s.end), 0);
  const speakingSeconds = round1(Math.max(speech.durationSeconds, lastEnd));
  const words = countWords(speech.text);
  const minutes = speakingSeconds / 60;
  const wordsPerMinute = minutes > 0 ? Math.round(words / minutes) : 0;
  const counts = fillerCounts(speech.text);
  const total = counts.reduce((n, c) => n + c.count, 0);
  const perMinute = minutes > 0 ? round1(total / minutes) : 0;
  const pauses = pausesOf(speech.segments);
  const star = question.star && words > 0 ? starSplit(speech, speakingSeconds) : null;

  const notes: string[] = [];
  const box = question.timeBoxSeconds;
  if (speakingSeconds > box * 1.1) {
    notes.push(`You spoke for ${clock(speakingSeconds)} against a ${clock(box)} time box: cut the set-up and get to what you did sooner.`);
  } else if (speakingSeconds > 0 && speakingSeconds < box * 0.25 && words > 0) {
    notes.push(
      `You spoke for ${clock(speakingSeconds)} of a ${clock(box)} time box: there is room for detail on what you did and what changed.`,
    );
  }
  if (words >= 20 && wordsPerMinute > PACE.fast) {
    notes.push(`${wordsPerMinute} words a minute is fast: slow down (about ${PACE.slow}–${PACE.fast}) so the interviewer can take notes.`);
  } else if (words >= 20 && wordsPerMinute < PACE.slow) {
    notes.push(`${wordsPerMinute} words a minute is slow: practise the story until it flows (about ${PACE.slow}–${PACE.fast}).`);
  }
  if (perMinute > FILLERS_NOTICEABLE) {
    const worst = [...counts].sort((a, b) => b.count - a.count)[0]!;
    notes.push(`${perMinute} filler words a minute ("${worst.filler}" ${worst.count}×): pause silently instead.`);
  }
  if (pauses && pauses.long > 0) {
    notes.push(
      `${pauses.long} pause${pauses.long > 1 ? 's' : ''} of ${LONG_PAUSE_SECONDS} s or more (longest ${pauses.longestSeconds} s).`,
    );
  }
  if (star && star.situationShare > SITUATION_SHARE_MAX) {
    notes.push(
      `The situation and task took ${Math.round(star.situationShare * 100)}% of the time: keep them under a third and spend the rest on your actions and the result.`,
    );
  }
  return {
    source,
    speakingSeconds,
    timeBoxSeconds: box,
    words,
    wordsPerMinute,
    fillers: { total, perMinute, counts: counts.filter((c) => c.count > 0) },
    pauses,
    star,
    notes,
  };
}

export const DeliverySummary = z
  .object({
    spokenAnswers: z.number().int(),
    speakingSeconds: z.number(),
    wordsPerMinute: z.number().nullable(),
    fillersPerMinute: z.number().nullable(),
    longPauses: z.number().int(),
    overTimeBox: z.number().int().openapi({ description: 'Spoken answers longer than their time box (by more than 10%)' }),
    situationShare: z.number().nullable().openapi({ description: 'Mean share of STAR answers spent on situation and task' }),
  })
  .openapi('DeliverySummary');
export type DeliverySummary = z.infer<typeof DeliverySummary>;

/** Several spoken answers summed up: pace and fillers over the whole speaking time, not averaged per answer. */
export function summariseDelivery(all: Delivery[]): DeliverySummary | null {
  if (!all.length) return null;
  const seconds = all.reduce((n, d) => n + d.speakingSeconds, 0);
  const minutes = seconds / 60;
  const stars = all.filter((d) => d.star);
  return {
    spokenAnswers: all.length,
    speakingSeconds: round1(seconds),
    wordsPerMinute: minutes > 0 ? Math.round(all.reduce((n, d) => n + d.words, 0) / minutes) : null,
    fillersPerMinute: minutes > 0 ? round1(all.reduce((n, d) => n + d.fillers.total, 0) / minutes) : null,
    longPauses: all.reduce((n, d) => n + (d.pauses?.long ?? 0), 0),
    overTimeBox: all.filter((d) => d.speakingSeconds > d.timeBoxSeconds * 1.1).length,
    situationShare: stars.length ? Math.round((stars.reduce((n, d) => n + d.star!.situationShare, 0) / stars.length) * 100) / 100 : null,
  };
}
