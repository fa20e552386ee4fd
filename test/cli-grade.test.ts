import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('..', import.meta.url).pathname;
const cli = (args: string[], input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '' },
  });

describe('grade CLI', () => {
  it('grades the answer on stdin and prints the Grade as JSON', () => {
    const r = cli(
      ['grade', '--question', 'amazon-86'],
      'An idempotent operation gives the same result however many times it runs, so retries after a timeout are safe. I use a unique request ID and a DynamoDB conditional write so a retried order is not created twice.',
    );
    expect(r.status).toBe(0);
    const grade = JSON.parse(r.stdout);
    expect(grade).toMatchObject({ questionId: 'amazon-86', rubricId: 'technical', grader: { kind: 'offline' } });
    expect(grade.coveredPoints.length).toBeGreaterThan(0);
  });

  it('grades a batch, one line out per line in, and keeps going past bad lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'batch-'));
    const file = join(dir, 'answers.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'a', questionId: 'amazon-86', answer: 'The same result every time, so retries are safe.' }),
        '{"id": "broken", ',
        JSON.stringify({ id: 'c', questionId: 'amazon-11', answer: 'x' }),
        '',
        JSON.stringify({
          id: 'd',
          question: 'What is a CDN?',
          referenceAnswer: 'A network of edge caches close to users.',
          rubricId: 'technical',
          answer: 'Edge caches near the users that serve content.',
        }),
        JSON.stringify({ id: 'e', questionId: 'amazon-86', answer: '' }),
        JSON.stringify({ id: 'f', questionId: 'amazon-86', answer: 'x'.repeat(10_001) }),
      ].join('\n'),
    );
    const r = cli(['grade', '--batch', file, '--provider', 'offline']);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', null, 'c', 'd', 'e', 'f']);
    expect(lines[0]).toMatchObject({
      questionId: 'amazon-86',
      verdict: expect.any(String),
      flags: expect.any(Array),
      overall: expect.any(Number),
    });
    expect(lines[1]).toMatchObject({ line: 2, error: { code: 'bad_request', message: expect.stringMatching(/line 2 is not valid JSON/) } });
    expect(lines[2].error.message).toMatch(/No question with id "amazon-11"/);
    expect(lines[3]).toMatchObject({ questionId: 'inline', score: expect.any(Number) });
    expect(lines[4].error.message).toMatch(/answer is empty/);
    expect(lines[5]).toMatchObject({
      line: 7,
      error: { code: 'bad_request', message: expect.stringMatching(/10001 characters long; the limit is 10000/) },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/4 of the lines could not be graded/);
  });

  it('explains its usage on bad arguments', () => {
    const r = cli(['grade', '--provider', 'magic', '--question', 'amazon-1'], 'x');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--provider must be offline or openai/);
    const missing = cli(['grade', '--batch', '/no/such/file.jsonl']);
    expect(missing.stderr).toMatch(/cannot read \/no\/such\/file.jsonl: no such file/);
    expect(cli(['grade', '--question', 'amazon-404'], 'an answer').stderr).toMatch(/No question with id "amazon-404"/);
  });
});
