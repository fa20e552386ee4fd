import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../src/errors.js';
import { errorFields } from '../src/observability/error-fields.js';

const SECRET = 'candidate-wrote-this-91f2';

describe('what the log says of an error', () => {
  it("keeps the engine's message and where in the code, for a bug of the program", () => {
    let caught: unknown;
    try {
      (undefined as unknown as { grade: () => void }).grade();
    } catch (e) {
      caught = e;
    }
    const fields = errorFields(caught);
    expect(fields).toMatchObject({ type: 'TypeError', message: expect.stringContaining("reading 'grade'") });
    expect(fields.stack).toContain('error-fields.test.ts');
  });

  it('drops the message of a JSON parse error, a database error and a provider error, keeping their codes', () => {
    let parse: unknown;
    try {
      JSON.parse(`{"evidence": ${SECRET}}`);
    } catch (e) {
      parse = e;
    }
    const database = Object.assign(new Error(`invalid input syntax for type integer: "${SECRET}"`), { code: '22P02' });
    const provider = Object.assign(new Error(`401 Incorrect API key provided: ${SECRET}`), { status: 401, code: 'invalid_api_key' });
    const logged = [parse, database, provider].map(errorFields);
    expect(logged).toEqual([
      { type: 'SyntaxError' },
      { type: 'Error', code: '22P02' },
      { type: 'Error', code: 'invalid_api_key', status: 401 },
    ]);
  });

  it('says where a validation failed, not what it saw, and follows the causes', () => {
    const invalid = z.object({ score: z.number() }).safeParse({ score: SECRET }).error;
    const fields = errorFields(new AppError('model_invalid_output', 'The reply was not in the expected format', { cause: invalid }));
    expect(fields).toEqual({
      type: 'AppError',
      code: 'model_invalid_output',
      message: 'The reply was not in the expected format',
      cause: { type: 'ZodError', issues: ['score: invalid_type'] },
    });
    expect(JSON.stringify(fields)).not.toContain(SECRET);
  });
});
