import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importGuide } from '../src/bank/importer.js';
import { readBankDir } from '../src/bank/load.js';

/** A copy of ../shared/seed/amazon-interview-guide.txt kept in the repo, so these tests always run. */
const GUIDE = new URL('./fixtures/amazon-interview-guide.txt', import.meta.url);

describe('importing the real Amazon guide', () => {
  const text = readFileSync(GUIDE, 'utf8');
  const entries = importGuide(text, { source: 'amazon' });
  const byNumber = (n: number) => entries.find((e) => e.number === n)!;

  it('finds exactly 80 questions numbered 1–10 and 31–100 with amazon-<n> ids', () => {
    expect(entries).toHaveLength(80);
    const expected = [...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 70 }, (_, i) => i + 31)];
    expect(entries.map((e) => e.number)).toEqual(expected);
    expect(entries.map((e) => e.id)).toEqual(expected.map((n) => `amazon-${n}`));
  });

  it('keeps every prompt exactly as written in the guide', () => {
    for (const e of entries) expect(text).toContain(`\n${e.number}. ${e.prompt}\n`);
    expect(byNumber(1).prompt).toBe('Why do you want to work at Amazon?');
  });

  it('drops Related: lines, section headings and the closing Conclusion part', () => {
    for (const e of entries) {
      expect(e.referenceAnswer).not.toMatch(/^Related:/m);
      expect(e.referenceAnswer).not.toMatch(/^Section \d/m);
      expect(e.referenceAnswer).not.toMatch(/Conclusion:|DigitalDefynd/);
    }
    expect(byNumber(10).referenceAnswer).not.toContain('Financial Strategy');
    expect(byNumber(100).referenceAnswer.endsWith('continues to function with minimal disruption.')).toBe(true);
  });

  it('joins split bullets back into Markdown list items', () => {
    for (const e of entries) expect(e.referenceAnswer).not.toMatch(/^-$/m);
    expect(byNumber(5).referenceAnswer).toContain(
      'At its core:\n\n- Lower prices attract more customers.\n- More customers drive higher traffic.\n',
    );
    expect(byNumber(48).referenceAnswer).toContain('- Client-Side Caching: HTTP headers like ETag,Cache-Controlfor browsers.');
  });

  it('keeps code snippets in fenced code blocks with their language', () => {
    const python = byNumber(45).referenceAnswer;
    expect(python).toContain("```python\nimport boto3\ndynamodb = boto3.resource('dynamodb')\n");
    expect(python).toMatch(/'WriteCapacityUnits': 5\n}\n\)\n```$/);
    expect(byNumber(50).referenceAnswer).toMatch(/```json\n{\n"deploymentStyle": {/);
    expect(byNumber(42).referenceAnswer).toContain('```yaml\nResources:\nMyS3Bucket:');
    expect(byNumber(49).referenceAnswer).toContain('```shell\naws autoscaling create-auto-scaling-group\n--auto-scaling-group-name my-asg');
    expect(byNumber(83).referenceAnswer).toContain('```hcl\nresource "aws_lb_listener_rule" "app_rule" {');
    // prose after a snippet is not swallowed by it
    expect(byNumber(83).referenceAnswer).toMatch(/```\n\nThis ensures that requests are routed correctly/);
  });

  it('assigns category, rubric, topics and Leadership Principles by the rules', () => {
    for (const e of entries) {
      expect(e.category).toBeTruthy();
      expect(e.topics.length + e.leadershipPrinciples.length).toBeGreaterThan(0);
    }
    for (const n of [51, 57, 59, 81, 83, 85, 91]) expect(byNumber(n).rubric).toBe('system-design');
    expect(byNumber(3)).toMatchObject({ category: 'behavioral', rubric: 'star' });
    for (const n of [1, 4, 5]) expect(byNumber(n)).toMatchObject({ category: 'company', rubric: 'company' });
    expect(byNumber(32)).toMatchObject({ category: 'technical', rubric: 'technical' });
    expect(byNumber(32).topics).toContain('dynamodb');
    expect(byNumber(48).topics).toContain('caching');
    expect(byNumber(7).leadershipPrinciples).toContain('Customer Obsession');
    expect(byNumber(32).leadershipPrinciples).toEqual([]);
  });

  it('matches the bank file committed in the project', () => {
    const committed = readBankDir().filter((e) => e.source === 'amazon');
    expect(committed).toEqual(entries);
  });
});

describe('importing a small synthetic guide', () => {
  const guide = [
    'My Guide',
    'Intro text that is not a question.',
    'Section 1 – Basics (1-2)',
    '1. Why do you want to work at Amazon?',
    'Because of the customers.',
    'Related: Something else',
    '2. How does caching work?',
    'It keeps copies:',
    '-',
    'Edge caches.',
    '-',
    'Application caches.',
    'Example:',
    '{',
    '"ttl": 60',
    '}',
    'That is all.',
    '3. Design a URL shortener.',
    'Use a key-value store.',
    'Conclusion: thanks for reading',
    'More closing text.',
  ].join('\n');

  it('parses questions, removes debris and rebuilds lists and code', () => {
    const entries = importGuide(guide, { source: 'mine' });
    expect(entries.map((e) => e.id)).toEqual(['mine-1', 'mine-2', 'mine-3']);
    expect(entries[0]!.referenceAnswer).toBe('Because of the customers.');
    expect(entries[1]!.referenceAnswer).toBe(
      'It keeps copies:\n\n- Edge caches.\n- Application caches.\n\nExample:\n\n```json\n{\n"ttl": 60\n}\n```\n\nThat is all.',
    );
    expect(entries[2]!.referenceAnswer).toBe('Use a key-value store.');
    expect(entries.map((e) => e.rubric)).toEqual(['company', 'technical', 'system-design']);
  });

  it('rejects an empty file', () => {
    expect(() => importGuide('\n  \n', { source: 'x' })).toThrow(/line 1: the file is empty/);
  });

  it('rejects a numbered question with no answer, naming its line', () => {
    expect(() => importGuide('1. First?\nAnswer one.\n2. Second?\n3. Third?\nAnswer.', { source: 'x' })).toThrow(
      /line 3: question 2 \("Second\?"\) has no answer/,
    );
  });

  it('rejects a duplicated number, naming both lines', () => {
    expect(() => importGuide('1. First?\nA.\n2. Second?\nB.\n2. Again?\nC.', { source: 'x' })).toThrow(
      /line 5: question number 2 appears twice \(first at line 3\)/,
    );
  });

  it('rejects text without numbered questions and a bad source name', () => {
    expect(() => importGuide('just prose', { source: 'x' })).toThrow(/no numbered questions/);
    expect(() => importGuide('1. Q?\nA.', { source: 'Bad Name' })).toThrow(/--source/);
  });
});
