import { describe, expect, it } from 'vitest';
import { loadConfig, SECRET_SETTINGS, SETTING_NAMES } from '../src/config.js';

describe('configuration', () => {
  it('defaults to the offline provider, port 8787 and ./data/mockloop.db', () => {
    expect(loadConfig({})).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      database: { kind: 'sqlite', path: './data/mockloop.db' },
      provider: 'offline',
    });
  });

  it('selects PostgreSQL with DATABASE_URL, and refuses a URL of another kind naming the variable', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://mockloop@db.internal:5432/mockloop', DATABASE_SCHEMA: 'team_a' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://mockloop@db.internal:5432/mockloop',
      schema: 'team_a',
      poolSize: 10,
      preparedStatements: true,
    });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/x', DATABASE_PREPARED_STATEMENTS: 'off' }).database).toMatchObject({
      preparedStatements: false,
    });
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/x', DATABASE_PREPARED_STATEMENTS: 'no' })).toThrow(
      /DATABASE_PREPARED_STATEMENTS=/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/mockloop' })).toThrow(/DATABASE_URL="mysql:\/\/db\/mockloop": must be a postgres/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/x', DATABASE_SCHEMA: 'Robert"; drop' })).toThrow(/DATABASE_SCHEMA=/);
  });

  it('chooses the openai provider when a key or a base URL is set', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test' }).provider).toBe('openai');
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).provider).toBe('openai');
    expect(loadConfig({ OPENAI_API_KEY: 'sk-test', PROVIDER: 'offline' }).provider).toBe('offline');
  });

  it('finds a transcription server for voice answers, and refuses voice settings out of range naming them', () => {
    expect(loadConfig({}).voice).toMatchObject({ transcription: null, speech: null, keepAudio: false, maxAudioSeconds: 600 });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-chat' }).voice.transcription).toEqual({
      baseURL: undefined,
      apiKey: 'sk-chat',
      model: 'whisper-1',
    });
    const own = loadConfig({
      TRANSCRIPTION_BASE_URL: 'http://127.0.0.1:9000/v1',
      TRANSCRIPTION_MODEL: 'Systran/faster-whisper-small',
      SPEECH_MODEL: 'kokoro',
      SPEECH_BASE_URL: 'http://127.0.0.1:8880/v1',
      SPEECH_VOICE: 'af_bella',
      KEEP_AUDIO: 'yes',
      MAX_AUDIO_MB: '5',
    });
    expect(own.provider).toBe('offline');
    expect(own.voice).toEqual({
      transcription: { baseURL: 'http://127.0.0.1:9000/v1', apiKey: undefined, model: 'Systran/faster-whisper-small' },
      speech: { baseURL: 'http://127.0.0.1:8880/v1', apiKey: undefined, model: 'kokoro', voice: 'af_bella' },
      keepAudio: true,
      maxAudioSeconds: 600,
      maxAudioBytes: 5 * 1024 * 1024,
    });
    expect(() => loadConfig({ KEEP_AUDIO: 'maybe' })).toThrow(/KEEP_AUDIO="maybe": allowed values are true, 1, yes/);
    expect(() => loadConfig({ MAX_AUDIO_SECONDS: '5' })).toThrow(/MAX_AUDIO_SECONDS="5"/);
    expect(() => loadConfig({ TRANSCRIPTION_BASE_URL: 'whisper:9000' })).toThrow(
      /TRANSCRIPTION_BASE_URL="whisper:9000": must be a valid http\(s\) URL/,
    );
  });

  it('reads every variable', () => {
    const c = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      AUTH_PROXY_HEADER: 'X-Auth-User',
      DATABASE_PATH: ':memory:',
      PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://localhost:8000/v1',
      MODEL: 'llama3.1',
      OPENAI_RESPONSE_FORMAT: 'json_object',
      AUTH: 'token',
      PUBLIC_URL: 'https://interviews.example.com',
      ALLOWED_HOSTS: 'mockloop.internal:9000, other.example',
      RATE_LIMIT_PER_MINUTE: '5',
      USER_TOKEN_BUDGET: '100000',
      CORS_ORIGINS: 'https://lms.example.com',
    });
    expect(c).toMatchObject({ port: 9000, host: '0.0.0.0', database: { kind: 'sqlite', path: ':memory:' } });
    expect(c.openai).toMatchObject({ baseURL: 'http://localhost:8000/v1', model: 'llama3.1', responseFormat: 'json_object' });
    expect(c.auth.mode).toBe('token');
    expect(c.web).toEqual({
      allowedHosts: ['interviews.example.com', 'mockloop.internal:9000', 'other.example'],
      corsOrigins: ['https://lms.example.com'],
      secure: true,
    });
    expect(c.limits).toEqual({ perMinute: 5, monthlyTokens: 100000 });
  });

  it('times slow clients out after 15 s for the headers and 120 s for the whole request, or as set', () => {
    expect(loadConfig({}).http).toEqual({ headersTimeoutMs: 15000, requestTimeoutMs: 120000 });
    expect(loadConfig({ HEADERS_TIMEOUT_MS: '2000', REQUEST_TIMEOUT_MS: '3000' }).http).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 3000,
    });
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '500' })).toThrow(
      /HEADERS_TIMEOUT_MS="500": must be a whole number of milliseconds from 1000 to 600000/,
    );
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '2m' })).toThrow(
      /REQUEST_TIMEOUT_MS="2m": must be a whole number of milliseconds from 1000 to 3600000/,
    );
    expect(() => loadConfig({ HEADERS_TIMEOUT_MS: '20000', REQUEST_TIMEOUT_MS: '10000' })).toThrow(
      /HEADERS_TIMEOUT_MS=20000 is longer than REQUEST_TIMEOUT_MS=10000/,
    );
  });

  it("sets the coding sandbox's pool, queue and default limits, and refuses values out of range naming them", () => {
    expect(loadConfig({}).sandbox).toEqual({ poolSize: 2, queueLimit: 16, limits: { wallMs: 5000, memoryMb: 128, outputBytes: 65536 } });
    const c = loadConfig({
      SANDBOX_POOL_SIZE: '4',
      SANDBOX_QUEUE_LIMIT: '0',
      SANDBOX_WALL_MS: '2000',
      SANDBOX_MEMORY_MB: '64',
      SANDBOX_OUTPUT_KB: '8',
    });
    expect(c.sandbox).toEqual({ poolSize: 4, queueLimit: 0, limits: { wallMs: 2000, memoryMb: 64, outputBytes: 8192 } });
    expect(() => loadConfig({ SANDBOX_POOL_SIZE: '0' })).toThrow(/SANDBOX_POOL_SIZE="0"/);
    expect(() => loadConfig({ SANDBOX_WALL_MS: '10' })).toThrow(
      /SANDBOX_WALL_MS="10": must be a whole number of milliseconds from 100 to 60000/,
    );
    expect(() => loadConfig({ SANDBOX_MEMORY_MB: 'lots' })).toThrow(/SANDBOX_MEMORY_MB="lots"/);
  });

  it('refuses AUTH=none on an address other machines reach, naming the settings', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' })).toThrow(
      /HOST=0\.0\.0\.0 with AUTH=none would let anyone .* set AUTH=token .* or AUTH=proxy/,
    );
    expect(() => loadConfig({ HOST: '0.0.0.0', AUTH: 'token' })).not.toThrow();
    expect(() => loadConfig({ HOST: '::1' })).not.toThrow();
    expect(() => loadConfig({ AUTH: 'proxy' })).toThrow(/AUTH=proxy needs TRUSTED_PROXIES/);
  });

  it('reads fixed choices and switches in any case, and still refuses other words naming the choices', () => {
    const c = loadConfig({
      METRICS: 'ON',
      LOG_LEVEL: 'INFO',
      AUTH: 'Token',
      PROVIDER: ' OpenAI ',
      OPENAI_RESPONSE_FORMAT: 'JSON_OBJECT',
      DATABASE_URL: 'postgres://db/x',
      DATABASE_PREPARED_STATEMENTS: 'OFF',
      KEEP_AUDIO: 'TRUE',
      OTEL_CAPTURE_CONTENT: 'Yes',
      TRANSCRIPTION_MODEL: 'OFF',
      METRICS_TOKEN: 'scraper-token-0123456789',
    });
    expect(c).toMatchObject({
      metrics: { enabled: true },
      log: { level: 'info' },
      auth: { mode: 'token' },
      provider: 'openai',
      openai: { responseFormat: 'json_object' },
      database: { preparedStatements: false },
      voice: { keepAudio: true, transcription: null },
      tracing: { captureContent: true },
    });
    expect(loadConfig({ METRICS: 'Off', LOG_LEVEL: 'Debug' })).toMatchObject({ metrics: { enabled: false }, log: { level: 'debug' } });
    expect(() => loadConfig({ LOG_LEVEL: 'LOUD' })).toThrow(
      /LOG_LEVEL="LOUD": allowed values are trace, debug, info, warn, error, fatal, silent/,
    );
    expect(() => loadConfig({ METRICS: 'enabled' })).toThrow(/METRICS="enabled": allowed values are on, off/);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT="eighty": must be a whole number from 0 to 65535/],
    [{ PORT: '70000' }, /PORT="70000": must be a whole number from 0 to 65535/],
    [{ PROVIDER: 'anthropic' }, /PROVIDER="anthropic": allowed values are offline, openai/],
    [{ OPENAI_BASE_URL: 'localhost:11434' }, /OPENAI_BASE_URL="localhost:11434": must be a valid http\(s\) URL/],
    [{ OPENAI_RESPONSE_FORMAT: 'xml' }, /OPENAI_RESPONSE_FORMAT="xml": allowed values are json_schema, json_object/],
  ])('rejects %o with a message naming the variable and what is allowed', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

/** The message loadConfig refuses `env` with. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(env)} was accepted`);
}

describe('secrets in configuration errors', () => {
  /** An invalid value of every secret setting. */
  const invalid: Record<string, string> = {
    OPENAI_API_KEY: 'sk-live PastedWithSpace1',
    TRANSCRIPTION_API_KEY: 'tr-key-Secret2\n',
    METRICS_TOKEN: 'tooShortSecret1',
  };

  it('has an invalid value to try for every secret setting, and every setting named like a credential is secret', () => {
    expect(Object.keys(invalid).sort()).toEqual([...SECRET_SETTINGS].sort());
    const credentials = SETTING_NAMES.filter((name) => /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIALS?)$/.test(name));
    expect(credentials.length).toBeGreaterThan(0);
    for (const name of credentials) expect(SECRET_SETTINGS).toContain(name);
  });

  it.each(Object.entries(invalid))('names %s and what is wrong with it, never its value', (name, value) => {
    const message = refusal({ [name]: value });
    expect(message).toMatch(new RegExp(`${name} \\(value not shown\\): must be (printable ASCII|at least)`));
    expect(message).not.toContain(value.trim());
    expect(message).not.toContain(value.slice(0, 8));
  });

  it.each([
    ['DATABASE_URL', 'mysql://mock:PGSECRETPW55@127.0.0.1/mock', 'mysql://mock:***@127.0.0.1/mock'],
    ['DATABASE_URL', 'postgres://mock:PGSECRET/PW@55@db/mock', 'postgres://mock:***@db/mock'],
    ['OPENAI_BASE_URL', 'ftp://me:PGSECRETPW55@models.example/v1', 'ftp://me:***@models.example/v1'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://otel:PGSECRETPW55@collector:4317', 'grpc://otel:***@collector:4317'],
    ['DATABASE_URL', 'host=db user=app password=PGSECRETPW55 dbname=x', 'host=db user=app password=*** dbname=x'],
    ['DATABASE_URL', "host=db password='PG SECRET PW55' dbname=x", 'host=db password=*** dbname=x'],
    ['DATABASE_URL', 'mysql://db/x?user=app&password=PGSECRETPW55&ssl=1', 'mysql://db/x?user=app&password=***&ssl=1'],
    ['OPENAI_BASE_URL', 'ftp://models.example/v1?api_key=PGSECRETPW55', 'ftp://models.example/v1?api_key=***'],
  ])('shows %s=%s with its password masked', (name, value, masked) => {
    const message = refusal({ [name]: value });
    expect(message).toContain(`${name}=${JSON.stringify(masked)}: must be`);
    expect(message).not.toContain('SECRET');
  });

  it("says what a pattern wants, in the pattern's own words", () => {
    expect(refusal({ DATABASE_SCHEMA: 'Bad-Schema' })).toContain(
      'DATABASE_SCHEMA="Bad-Schema": must be a lower-case PostgreSQL schema name',
    );
  });

  it('still shows the value of a setting that is not secret', () => {
    expect(refusal({ DATABASE_URL: 'mysql://db.internal/mock' })).toContain('DATABASE_URL="mysql://db.internal/mock"');
    expect(refusal({ SANDBOX_POOL_SIZE: 'many' })).toContain('SANDBOX_POOL_SIZE="many"');
  });
});

describe('the .env file', () => {
  it('is read underneath the environment', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { readEnv } = await import('../src/config.js');
    const file = join(mkdtempSync(join(tmpdir(), 'env-')), '.env');
    writeFileSync(file, 'MODEL=from-file\nPORT=9999\n# a comment\n');
    process.env.PORT = '7777';
    try {
      const env = readEnv(file);
      expect(loadConfig(env)).toMatchObject({ port: 7777, openai: { model: 'from-file' } });
    } finally {
      delete process.env.PORT;
    }
    expect(readEnv(join(tmpdir(), 'no-such-dir', '.env')).MODEL).toBe(process.env.MODEL);
  });
});
