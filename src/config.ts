import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { wholeNumber } from './validation.js';

/**
 * The only reader of process.env. Every setting is validated here once; an invalid value stops
 * start-up with a message naming the variable and what is allowed.
 */
const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const EnvSchema = z.object({
  // 0 picks a free port (the log says which).
  PORT: z.preprocess(emptyAsUndefined, wholeNumber(0, 65535, { coerce: true }).default(8787)),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('127.0.0.1')),
  DATABASE_PATH: z.preprocess(emptyAsUndefined, z.string().min(1).default('./data/mockloop.db')),
  PROVIDER: z.preprocess(emptyAsUndefined, z.enum(['offline', 'openai']).optional()),
  OPENAI_API_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  OPENAI_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  MODEL: z.preprocess(emptyAsUndefined, z.string().min(1).default('gpt-4o-mini')),
  /** `json_schema` (OpenAI, recent vLLM) or `json_object` for servers without structured output. */
  OPENAI_RESPONSE_FORMAT: z.preprocess(emptyAsUndefined, z.enum(['json_schema', 'json_object']).default('json_schema')),
  OPENAI_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    wholeNumber(1000, 600000, { coerce: true, message: 'must be a whole number of milliseconds from 1000 to 600000' }).default(60000),
  ),
  OPENAI_MAX_RETRIES: z.preprocess(emptyAsUndefined, wholeNumber(0, 10, { coerce: true }).default(2)),
  TURN_LEASE_MS: z.preprocess(
    emptyAsUndefined,
    wholeNumber(500, 600000, { coerce: true, message: 'must be a whole number of milliseconds from 500 to 600000' }).default(15000),
  ),
});

export interface Config {
  port: number;
  host: string;
  databasePath: string;
  provider: 'offline' | 'openai';
  /** How long a turn's claim on its session holds without renewal (a crashed turn is resumed after it). */
  turnLeaseMs: number;
  openai: {
    apiKey: string | undefined;
    baseURL: string | undefined;
    model: string;
    responseFormat: 'json_schema' | 'json_object';
    timeoutMs: number;
    maxRetries: number;
  };
}

/** The environment, with a `.env` file in the working directory (if any) underneath it. */
export function readEnv(file = '.env'): Record<string, string | undefined> {
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...process.env };
}

export function loadConfig(env: Record<string, string | undefined> = readEnv()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${describe(issue)}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const provider = e.PROVIDER ?? (e.OPENAI_API_KEY || e.OPENAI_BASE_URL ? 'openai' : 'offline');
  return {
    port: e.PORT,
    host: e.HOST,
    databasePath: e.DATABASE_PATH,
    provider,
    turnLeaseMs: e.TURN_LEASE_MS,
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      model: e.MODEL,
      responseFormat: e.OPENAI_RESPONSE_FORMAT,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
    },
  };
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `allowed values are ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_format') return `must be a valid ${issue.format === 'url' ? 'http(s) URL' : issue.format}`;
  return issue.message;
}
