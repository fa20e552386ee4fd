import { describe, expect, it } from 'vitest';
import { support } from '../src/grading/analysis.js';
import { words } from '../src/grading/text.js';
import { definedAcronyms, EXPLAINED, FAMILIES, parseVocabulary, vocabulary } from '../src/grading/vocabulary.js';

/** Whether two texts share a token of the vocabulary's rewriting. */
const shares = (a: string, b: string) => {
  const wb = new Set(words(b));
  return words(a).some((w) => wb.has(w) && w.length > 2 && /[a-z]{3,}|\d/.test(w) && !['the', 'and'].includes(w));
};

describe('the vocabulary file', () => {
  const vocab = vocabulary();

  it.each(FAMILIES)('%s: every phrase is read as its token', (family) => {
    expect(vocab[family].length).toBeGreaterThan(5);
    for (const e of vocab[family]) {
      for (const phrase of e.phrases) expect(words(`and ${phrase} then`), `${family}.${e.token}: "${phrase}"`).toContain(e.token);
    }
  });

  it('acronyms: an expansion matches its acronym, both ways', () => {
    expect(support('FIS', 'We ran experiments with Fault Injection Simulator.')).toBe(1);
    expect(support('Fault Injection Simulator', 'We ran experiments with FIS.')).toBe(1);
    expect(words('Database Migration Service')).toEqual(['dms']);
    expect(words('Change Data Capture streams')).toEqual(['cdc', 'streams']);
    expect(shares('Use IAM roles', 'use identity and access management roles')).toBe(true);
  });

  it('services: a service matches the generic thing it is', () => {
    expect(shares('Put the events on SQS.', 'Put the events on a message queue.')).toBe(true);
    expect(shares('Serve the images from CloudFront.', 'Serve the images from a content delivery network.')).toBe(true);
    expect(shares('Orchestrate it with Step Functions.', 'Orchestrate it with a state machine.')).toBe(true);
  });

  it('mechanisms: a mechanism described in words matches its name, and the words are kept', () => {
    expect(words('retry with exponential backoff')).toContain('backoff');
    expect(words('if it fails, wait longer each time: 1, 2, 4, 8 seconds')).toEqual(
      expect.arrayContaining(['backoff', `backoff${EXPLAINED}`]),
    );
    expect(words('safe to retry, the same result however many times it runs')).toContain(`idempotent${EXPLAINED}`);
    expect(words('we split the data into smaller pieces across many machines')).toEqual(expect.arrayContaining(['split', 'shard']));
    expect(words('eventual consistency')).toEqual(['eventual', 'consistency', 'eventualconsistency']);
    expect(words('break things on purpose to see if it keeps working')).toEqual(expect.arrayContaining(['faultinjection', 'resilience']));
  });

  it('behaviours: what a story says in its own words matches what an interviewer listens for', () => {
    expect(words('the SDK could leak email addresses to a vendor')).toContain('harmrisk');
    expect(words('two weeks before launch')).toContain('shippressure');
    expect(words('we traced the problem to a missing index')).toContain('rootcause');
    expect(words('latency dropped from 900 ms to 120 ms')).toContain('measuredoutcome');
  });

  it('refuses an entry with a bad token or a pattern that captures, naming it', () => {
    expect(() =>
      parseVocabulary('acronyms: [{token: Fis, phrases: [a b]}]\nservices: []\nmechanisms: []\nbehaviours: []', 'v.yaml'),
    ).toThrow(/v\.yaml: acronyms\.0\.token: must be one lower-case word/);
    expect(() =>
      parseVocabulary("acronyms: []\nservices: []\nmechanisms: [{token: x, patterns: ['(a|b) c']}]\nbehaviours: []", 'v.yaml'),
    ).toThrow(/mechanisms\.x: the pattern \/\(a\|b\) c\/ captures/);
    expect(() => parseVocabulary('acronyms: []\nservices: []\nmechanisms: [{token: x}]\nbehaviours: []', 'v.yaml')).toThrow(
      /at least one phrase or pattern/,
    );
  });
});

describe('acronyms a reference defines itself', () => {
  it('finds the long form whose initials spell the acronym', () => {
    expect(definedAcronyms('Amazon implements it through AWS Fault Injection Simulator (FIS), which allows…')).toEqual([
      { long: 'Fault Injection Simulator', short: 'fis' },
    ]);
    expect(definedAcronyms('Use AWS Snowball Edge Storage Optimized (SESO) devices.')).toEqual([
      { long: 'Snowball Edge Storage Optimized', short: 'seso' },
    ]);
    expect(definedAcronyms('It runs in a container (Docker) on the host.')).toEqual([]);
  });
});
