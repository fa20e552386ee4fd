import { describe, expect, it } from 'vitest';
import { clock, type Delivery, measureDelivery, type Segment, summariseDelivery } from '../src/voice/delivery.js';

const STAR = { timeBoxSeconds: 180, star: true };
const TECH = { timeBoxSeconds: 120, star: false };

/** Speech whose segments follow each other with the given gaps (seconds), each segment `seconds` long. */
function timed(texts: string[], seconds: number, gaps: number[] = []): { text: string; durationSeconds: number; segments: Segment[] } {
  let at = 0;
  const segments = texts.map((text, i) => {
    const s = { start: at, end: at + seconds, text };
    at += seconds + (gaps[i] ?? 0);
    return s;
  });
  return { text: texts.join(' '), durationSeconds: segments.at(-1)!.end, segments };
}

const filler = (d: Delivery, name: string) => d.fillers.counts.find((c) => c.filler === name)?.count ?? 0;

describe('filler words', () => {
  it('counts um, uh, basically and fillers used as fillers', () => {
    const d = measureDelivery(
      {
        text: 'So, um, the service was, uh, like, basically down. You know, we, umm, kind of panicked.',
        durationSeconds: 10,
        segments: [],
      },
      TECH,
      'server',
    );
    expect(filler(d, 'um')).toBe(2);
    expect(filler(d, 'uh')).toBe(1);
    expect(filler(d, 'like')).toBe(1);
    expect(filler(d, 'basically')).toBe(1);
    expect(filler(d, 'you know')).toBe(1);
    expect(filler(d, 'sort of')).toBe(1);
    expect(d.fillers.total).toBe(7);
    expect(d.fillers.perMinute).toBe(42);
  });

  it('does not count like, you know and sort of where they carry meaning', () => {
    const d = measureDelivery(
      {
        text: 'I like Go. It looks like a cache miss. We would like to shard it. You know that it failed. It was a sort of queue. Something like this.',
        durationSeconds: 12,
        segments: [],
      },
      TECH,
      'server',
    );
    expect(d.fillers.total).toBe(0);
    expect(d.notes.join(' ')).not.toMatch(/filler/);
  });
});

describe('pace and time box', () => {
  const sentence = 'We moved the nightly batch job to an event driven pipeline on the queue. ';

  it('measures words per minute over the speaking time and says nothing of a comfortable pace', () => {
    const d = measureDelivery({ text: sentence.repeat(20), durationSeconds: 112, segments: [] }, TECH, 'server');
    expect(d.words).toBe(280);
    expect(d.wordsPerMinute).toBe(150);
    expect(d.notes.join(' ')).not.toMatch(/words a minute/);
  });

  it('says when the pace is rushed or slow', () => {
    const fast = measureDelivery({ text: sentence.repeat(20), durationSeconds: 80, segments: [] }, TECH, 'server');
    expect(fast.wordsPerMinute).toBe(210);
    expect(fast.notes.join(' ')).toMatch(/210 words a minute is fast/);
    const slow = measureDelivery({ text: sentence.repeat(5), durationSeconds: 60, segments: [] }, TECH, 'server');
    expect(slow.notes.join(' ')).toMatch(/70 words a minute is slow/);
  });

  it('compares the speaking time with the time box, from the last segment when it ends later', () => {
    const over = measureDelivery(timed([sentence.repeat(30)], 200), STAR, 'server');
    expect(over.speakingSeconds).toBe(200);
    expect(over.notes.join(' ')).toMatch(/3:20 against a 3:00 time box/);
    const short = measureDelivery({ text: sentence, durationSeconds: 20, segments: [] }, STAR, 'server');
    expect(short.notes.join(' ')).toMatch(/0:20 of a 3:00 time box/);
    const later = measureDelivery({ ...timed([sentence], 30), durationSeconds: 10 }, TECH, 'server');
    expect(later.speakingSeconds).toBe(30);
    // No duration from the recorder or the server: nothing is said about time it does not know.
    const unknown = measureDelivery({ text: sentence, durationSeconds: 0, segments: [] }, STAR, 'server');
    expect(unknown.wordsPerMinute).toBe(0);
    expect(unknown.notes.join(' ')).not.toMatch(/time box|words a minute/);
  });
});

describe('pauses', () => {
  it('counts gaps between segments of at least three seconds and names the longest', () => {
    const d = measureDelivery(timed(['First part.', 'Second part.', 'Third part.', 'Fourth.'], 5, [1, 3.5, 6]), TECH, 'server');
    expect(d.pauses).toEqual({ long: 2, longestSeconds: 6, thresholdSeconds: 3 });
    expect(d.notes.join(' ')).toMatch(/2 pauses of 3 s or more \(longest 6 s\)/);
  });

  it('are unknown without timing', () => {
    expect(measureDelivery({ text: 'An answer.', durationSeconds: 5, segments: [] }, TECH, 'browser').pauses).toBeNull();
  });
});

describe('STAR time split', () => {
  const setup = [
    'When I was at my last company our team ran the payments service.',
    'The project had a deadline in the last quarter and my manager was worried.',
    'We were on a shared database at the time and our customers were in three regions.',
  ];
  const actions = ['I profiled the slow queries.', 'I rewrote the retry logic.', 'I added a dashboard and paged the owners.'];
  const result = ['That reduced failed payments by 40% in two weeks.'];

  it('says when the situation takes most of the time', () => {
    const d = measureDelivery(timed([...setup, ...setup, actions[0]!, ...result], 10), STAR, 'server');
    expect(d.star!.situationShare).toBeGreaterThan(0.6);
    expect(d.star!.estimated).toBe(false);
    expect(d.notes.join(' ')).toMatch(/situation and task took \d+% of the time/);
  });

  it('finds most of the time on actions and result in a well-balanced story', () => {
    const d = measureDelivery(timed([setup[0]!, ...actions, ...result], 10), STAR, 'server');
    expect(d.star!.situationShare).toBeLessThan(0.35);
    expect(d.star!.actionSeconds).toBeGreaterThan(d.star!.situationSeconds);
    expect(d.star!.resultSeconds).toBeGreaterThan(0);
    expect(d.notes.join(' ')).not.toMatch(/situation/);
  });

  it('estimates the split from words without timing, and is absent for other rubrics', () => {
    const text = [setup[0], ...actions, ...result].join(' ');
    const d = measureDelivery({ text, durationSeconds: 40, segments: [] }, STAR, 'browser');
    expect(d.star!.estimated).toBe(true);
    expect(d.star!.situationSeconds + d.star!.actionSeconds + d.star!.resultSeconds).toBeCloseTo(40, 0);
    expect(measureDelivery({ text, durationSeconds: 40, segments: [] }, TECH, 'server').star).toBeNull();
  });
});

describe('summary over several answers', () => {
  it('weighs pace and fillers by speaking time and counts answers over their time box', () => {
    const a = measureDelivery({ text: 'um '.repeat(6) + 'word '.repeat(114), durationSeconds: 60, segments: [] }, TECH, 'server');
    const b = measureDelivery({ text: 'word '.repeat(360), durationSeconds: 180, segments: [] }, TECH, 'server');
    const s = summariseDelivery([a, b])!;
    expect(s.spokenAnswers).toBe(2);
    expect(s.speakingSeconds).toBe(240);
    expect(s.wordsPerMinute).toBe(120);
    expect(s.fillersPerMinute).toBe(1.5);
    expect(s.overTimeBox).toBe(1);
    expect(s.situationShare).toBeNull();
    expect(summariseDelivery([])).toBeNull();
  });
});

describe('times in notes', () => {
  it('are minutes and seconds, rounded as a whole (59.6 s is 1:00, never 0:60)', () => {
    expect([clock(0), clock(59.4), clock(59.6), clock(125), clock(600)]).toEqual(['0:00', '0:59', '1:00', '2:05', '10:00']);
  });
});
