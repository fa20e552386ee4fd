import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import type { RunLimits } from './coding/types.js';
import { ConfigError } from './errors.js';
import { LOG_LEVELS, type LogLevel } from './observability/logger.js';
import { wholeNumber } from './validation.js';

/**
 * The only reader of process.env. Every setting is validated here once; an invalid value stops
 * start-up with a message naming the variable and what is allowed.
 */
const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/**
 * One of fixed words, in any case and with stray spaces (`METRICS=ON`, `LOG_LEVEL=INFO`): the
 * words are all lower case, and a shell or a deployment tool may well write them otherwise.
 */
const choice = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v), z.enum(values));

/**
 * Settings whose values are credentials. A message about one names it but never shows its value:
 * start-up errors end up in terminals, CI logs and bug reports. A new key, token or password setting
 * belongs here (a test checks that every setting named like one is).
 */
export const SECRET_SETTINGS: ReadonlySet<string> = new Set(['OPENAI_API_KEY', 'TRANSCRIPTION_API_KEY', 'METRICS_TOKEN']);

/** A key or token: it is sent in an Authorization header, where a space or line break pasted with it would break or change it. */
const credential = () => z.string().regex(/^[!-~]+$/, 'must be printable ASCII without spaces or line breaks');

const EnvSchema = z.object({
  // 0 picks a free port (the log says which).
  PORT: z.preprocess(emptyAsUndefined, wholeNumber(0, 65535, { coerce: true }).default(8787)),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('127.0.0.1')),
  DATABASE_PATH: z.preprocess(emptyAsUndefined, z.string().min(1).default('./data/mockloop.db')),
  /** postgres://user:password@host:port/database selects PostgreSQL (several replicas); without it, SQLite at DATABASE_PATH. */
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATABASE_SCHEMA: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL schema name (letters, digits, _)')
      .default('public'),
  ),
  DATABASE_POOL_SIZE: z.preprocess(emptyAsUndefined, wholeNumber(1, 1000, { coerce: true }).default(10)),
  /** Off behind a pooler that cannot keep a connection's prepared statements (PgBouncer before 1.21 in transaction mode). */
  DATABASE_PREPARED_STATEMENTS: z.preprocess(emptyAsUndefined, choice(['on', 'off']).default('on')),
  PROVIDER: z.preprocess(emptyAsUndefined, choice(['offline', 'openai']).optional()),
  OPENAI_API_KEY: z.preprocess(emptyAsUndefined, credential().optional()),
  OPENAI_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  MODEL: z.preprocess(emptyAsUndefined, z.string().min(1).default('gpt-4o-mini')),
  /** `json_schema` (OpenAI, recent vLLM) or `json_object` for servers without structured output. */
  OPENAI_RESPONSE_FORMAT: z.preprocess(emptyAsUndefined, choice(['json_schema', 'json_object']).default('json_schema')),
  OPENAI_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    wholeNumber(1000, 600000, { coerce: true, message: 'must be a whole number of milliseconds from 1000 to 600000' }).default(60000),
  ),
  OPENAI_MAX_RETRIES: z.preprocess(emptyAsUndefined, wholeNumber(0, 10, { coerce: true }).default(2)),
  AUTH: z.preprocess(emptyAsUndefined, choice(['none', 'token', 'proxy']).default('none')),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  ALLOWED_HOSTS: z.preprocess(emptyAsUndefined, z.string().optional()),
  TRUSTED_PROXIES: z.preprocess(emptyAsUndefined, z.string().optional()),
  AUTH_PROXY_HEADER: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'must be a header name')
      .default('x-forwarded-user'),
  ),
  RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, wholeNumber(0, 100000, { coerce: true }).default(30)),
  USER_TOKEN_BUDGET: z.preprocess(emptyAsUndefined, wholeNumber(1, Number.MAX_SAFE_INTEGER, { coerce: true }).optional()),
  CORS_ORIGINS: z.preprocess(emptyAsUndefined, z.string().optional()),
  LOGIN_DAYS: z.preprocess(emptyAsUndefined, wholeNumber(1, 365, { coerce: true }).default(7)),
  TURN_LEASE_MS: z.preprocess(
    emptyAsUndefined,
    wholeNumber(500, 600000, { coerce: true, message: 'must be a whole number of milliseconds from 500 to 600000' }).default(15000),
  ),
  /** The speech-to-text model (OpenAI-compatible /audio/transcriptions); `off` turns server transcription off. */
  TRANSCRIPTION_MODEL: z.preprocess(emptyAsUndefined, z.string().min(1).default('whisper-1')),
  /** A transcription server other than the chat model's (faster-whisper, whisper.cpp, LocalAI…); also works with the offline provider. */
  TRANSCRIPTION_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  TRANSCRIPTION_API_KEY: z.preprocess(emptyAsUndefined, credential().optional()),
  /** A text-to-speech model (OpenAI-compatible /audio/speech) reads the interviewer aloud; without it the browser's voice does. */
  SPEECH_MODEL: z.preprocess(emptyAsUndefined, z.string().min(1).optional()),
  SPEECH_VOICE: z.preprocess(emptyAsUndefined, z.string().min(1).max(100).default('alloy')),
  SPEECH_BASE_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** Keep the audio of spoken answers with the session (replay, export, deleted with it). */
  KEEP_AUDIO: z.preprocess(emptyAsUndefined, z.stringbool().default(false)),
  MAX_AUDIO_SECONDS: z.preprocess(emptyAsUndefined, wholeNumber(10, 3600, { coerce: true }).default(600)),
  MAX_AUDIO_MB: z.preprocess(emptyAsUndefined, wholeNumber(1, 100, { coerce: true }).default(25)),
  SHUTDOWN_GRACE_MS: z.preprocess(
    emptyAsUndefined,
    wholeNumber(0, 600000, { coerce: true, message: 'must be a whole number of milliseconds from 0 to 600000' }).default(10000),
  ),
  /** GET /metrics (Prometheus); with accounts it needs METRICS_TOKEN. */
  METRICS: z.preprocess(emptyAsUndefined, choice(['on', 'off']).default('off')),
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, credential().min(16, 'must be at least 16 characters').optional()),
  /** Traces (OTLP over HTTP) go here; none without it. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/ }).optional()),
  /** Prompts and replies on the model calls' spans: off, since they hold what candidates wrote. */
  OTEL_CAPTURE_CONTENT: z.preprocess(emptyAsUndefined, z.stringbool().default(false)),
  /** How much the server logs (JSON lines on stdout; readable ones in a terminal). */
  LOG_LEVEL: z.preprocess(emptyAsUndefined, choice(LOG_LEVELS).default('info')),
  /** How long a client has to send its request headers; a slow one gets 408 and is closed. */
  HEADERS_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    wholeNumber(1000, 600000, { coerce: true, message: 'must be a whole number of milliseconds from 1000 to 600000' }).default(15000),
  ),
  /** How long a client has to send its whole request, body included (a 25 MB recording on a slow line). */
  REQUEST_TIMEOUT_MS: z.preprocess(
    emptyAsUndefined,
    wholeNumber(1000, 3600000, { coerce: true, message: 'must be a whole number of milliseconds from 1000 to 3600000' }).default(120000),
  ),
  /** The coding round's sandbox: worker processes per language, runs that may wait, and a run's default limits. */
  SANDBOX_POOL_SIZE: z.preprocess(emptyAsUndefined, wholeNumber(1, 32, { coerce: true }).default(2)),
  SANDBOX_QUEUE_LIMIT: z.preprocess(emptyAsUndefined, wholeNumber(0, 10000, { coerce: true }).default(16)),
  SANDBOX_WALL_MS: z.preprocess(
    emptyAsUndefined,
    wholeNumber(100, 60000, { coerce: true, message: 'must be a whole number of milliseconds from 100 to 60000' }).default(5000),
  ),
  SANDBOX_MEMORY_MB: z.preprocess(emptyAsUndefined, wholeNumber(16, 1024, { coerce: true }).default(128)),
  SANDBOX_OUTPUT_KB: z.preprocess(emptyAsUndefined, wholeNumber(1, 4096, { coerce: true }).default(64)),
});

/** The names of every setting read (from the environment or `.env`). */
export const SETTING_NAMES: readonly string[] = Object.keys(EnvSchema.shape);

/** SQLite: one file; PostgreSQL: a server several replicas share. */
export type DatabaseConfig =
  { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string; poolSize: number; preparedStatements: boolean };

/** An OpenAI-compatible audio endpoint: where it is, with what key, which model. */
export interface AudioEndpoint {
  baseURL: string | undefined;
  apiKey: string | undefined;
  model: string;
}

export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  provider: 'offline' | 'openai';
  /** How long a turn's claim on its session holds without renewal (a crashed turn is resumed after it). */
  turnLeaseMs: number;
  /** On SIGTERM, how long turns running here get to end before their claims are handed over. */
  shutdownGraceMs: number;
  /** What the server logs: `info` is a line per request and per turn, model call, transcription and recovery. */
  log: { level: LogLevel };
  /** GET /metrics: served only when enabled; a bearer token when set. */
  metrics: { enabled: boolean; token: string | undefined };
  /** Traces: where to send them (none without an endpoint), and whether model spans carry prompts and replies. */
  tracing: { endpoint: string | undefined; captureContent: boolean };
  /** Slow clients: how long one has to send its headers, and its whole request; then 408 and closed. */
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  auth: {
    /** none: one local user, loopback only; token: API tokens and a sign-in page; proxy: a user name set by a trusted reverse proxy. */
    mode: 'none' | 'token' | 'proxy';
    proxyHeader: string;
    trustedProxies: string[];
    loginDays: number;
  };
  web: {
    /** Host names (with port, as in the Host header) the server answers to: DNS rebinding gets a 421. */
    allowedHosts: string[];
    /** Origins allowed to call the API from their own pages, with tokens (never cookies). */
    corsOrigins: string[];
    /** Cookies are Secure when the public URL is https. */
    secure: boolean;
  };
  limits: {
    /** Model-backed requests (answers, retries, grading) per user per minute; 0 for no limit. */
    perMinute: number;
    /** Model tokens a user may use per calendar month; undefined for no budget. */
    monthlyTokens: number | undefined;
  };
  voice: {
    /** Server-side speech to text; null when there is no transcription server (the browser's recogniser may stand in). */
    transcription: AudioEndpoint | null;
    /** Server-side text to speech; null when the browser's own voice reads. */
    speech: (AudioEndpoint & { voice: string }) | null;
    keepAudio: boolean;
    maxAudioSeconds: number;
    maxAudioBytes: number;
  };
  /** The coding round's sandbox (createSandbox's options): worker processes per language, waiting runs, default limits. */
  sandbox: { poolSize: number; queueLimit: number; limits: RunLimits };
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
      return `${shown(name, env[name])}: ${describe(issue)}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  if (e.AUTH === 'none' && !isLoopback(e.HOST)) {
    throw new ConfigError(
      `HOST=${e.HOST} with AUTH=none would let anyone who can reach this machine read and delete every session: ` +
        'set AUTH=token (API tokens) or AUTH=proxy (behind an authenticating reverse proxy), or keep HOST=127.0.0.1',
    );
  }
  if (e.AUTH === 'proxy' && !e.TRUSTED_PROXIES) {
    throw new ConfigError('AUTH=proxy needs TRUSTED_PROXIES: the addresses of the reverse proxies whose user header is believed');
  }
  if (e.HEADERS_TIMEOUT_MS > e.REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      `HEADERS_TIMEOUT_MS=${e.HEADERS_TIMEOUT_MS} is longer than REQUEST_TIMEOUT_MS=${e.REQUEST_TIMEOUT_MS}: the headers are part of the request, so it must be at most that`,
    );
  }
  if (e.METRICS === 'on' && e.AUTH !== 'none' && !e.METRICS_TOKEN) {
    throw new ConfigError(
      `METRICS=on with AUTH=${e.AUTH} needs METRICS_TOKEN: the bearer token the scraper sends (at least 16 characters), so that the metrics are not public`,
    );
  }
  const provider = e.PROVIDER ?? (e.OPENAI_API_KEY || e.OPENAI_BASE_URL ? 'openai' : 'offline');
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          schema: e.DATABASE_SCHEMA,
          poolSize: e.DATABASE_POOL_SIZE,
          preparedStatements: e.DATABASE_PREPARED_STATEMENTS === 'on',
        }
      : { kind: 'sqlite', path: e.DATABASE_PATH },
    provider,
    turnLeaseMs: e.TURN_LEASE_MS,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    log: { level: e.LOG_LEVEL },
    metrics: { enabled: e.METRICS === 'on', token: e.METRICS_TOKEN },
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, captureContent: e.OTEL_CAPTURE_CONTENT },
    http: { headersTimeoutMs: e.HEADERS_TIMEOUT_MS, requestTimeoutMs: e.REQUEST_TIMEOUT_MS },
    auth: {
      mode: e.AUTH,
      proxyHeader: e.AUTH_PROXY_HEADER.toLowerCase(),
      trustedProxies: list(e.TRUSTED_PROXIES),
      loginDays: e.LOGIN_DAYS,
    },
    web: {
      allowedHosts: allowedHosts(e.HOST, e.PORT, e.PUBLIC_URL, list(e.ALLOWED_HOSTS)),
      corsOrigins: list(e.CORS_ORIGINS),
      secure: e.PUBLIC_URL?.startsWith('https:') ?? false,
    },
    limits: { perMinute: e.RATE_LIMIT_PER_MINUTE, monthlyTokens: e.USER_TOKEN_BUDGET },
    voice: {
      // The chat model's server transcribes too unless another is named; the offline provider has none of its own.
      transcription:
        e.TRANSCRIPTION_MODEL.toLowerCase() === 'off' || (!e.TRANSCRIPTION_BASE_URL && provider === 'offline')
          ? null
          : {
              baseURL: e.TRANSCRIPTION_BASE_URL ?? e.OPENAI_BASE_URL,
              apiKey: e.TRANSCRIPTION_API_KEY ?? e.OPENAI_API_KEY,
              model: e.TRANSCRIPTION_MODEL,
            },
      speech: e.SPEECH_MODEL
        ? { baseURL: e.SPEECH_BASE_URL ?? e.OPENAI_BASE_URL, apiKey: e.OPENAI_API_KEY, model: e.SPEECH_MODEL, voice: e.SPEECH_VOICE }
        : null,
      keepAudio: e.KEEP_AUDIO,
      maxAudioSeconds: e.MAX_AUDIO_SECONDS,
      maxAudioBytes: e.MAX_AUDIO_MB * 1024 * 1024,
    },
    sandbox: {
      poolSize: e.SANDBOX_POOL_SIZE,
      queueLimit: e.SANDBOX_QUEUE_LIMIT,
      limits: { wallMs: e.SANDBOX_WALL_MS, memoryMb: e.SANDBOX_MEMORY_MB, outputBytes: e.SANDBOX_OUTPUT_KB * 1024 },
    },
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

/** A setting as a message shows it: a secret's value not at all, a URL's password masked, any other value as it is. */
function shown(name: string, value: string | undefined): string {
  if (SECRET_SETTINGS.has(name)) return `${name} (value not shown)`;
  return `${name}=${JSON.stringify(withoutPassword(value ?? ''))}`;
}

/**
 * For messages and logs: `scheme://user:password@…` with the password as ***. Up to the last @, so that a password with
 * an unescaped @ or /, or in a URL too broken to parse, is masked too (a host may be masked with it).
 * And a password given as a parameter, in a query string (`?password=…`) or a libpq keyword string
 * (`host=db password=…`), with whatever names a secret (`password`, `token`, `secret`, `key`…).
 */
export const withoutPassword = (value: string) =>
  value
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):.*@/is, '$1:***@')
    .replace(/((?:^|[?&;\s])[\w.-]*(?:password|passwd|pwd|pass|secret|token|key)[\w.-]*=)(?:'[^']*'|[^&;\s]*)/gi, '$1***');

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `allowed values are ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_format' && issue.path[0] === 'DATABASE_URL') return 'must be a postgres:// or postgresql:// URL';
  // A pattern's own message says what the value must look like.
  if (issue.code === 'invalid_format' && issue.format === 'regex') return issue.message;
  if (issue.code === 'invalid_format') return `must be a valid ${issue.format === 'url' ? 'http(s) URL' : issue.format}`;
  return issue.message;
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** A name or address only this machine reaches. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Host headers to answer besides loopback names (any port): the host listened on, the public URL's host, any listed. */
function allowedHosts(host: string, port: number, publicUrl: string | undefined, extra: string[]): string[] {
  const hosts = new Set<string>();
  if (!isLoopback(host) && host !== '0.0.0.0' && host !== '::') hosts.add(`${host}:${port}`).add(host);
  if (publicUrl) hosts.add(new URL(publicUrl).host);
  for (const h of extra) hosts.add(h.toLowerCase());
  return [...hosts];
}
