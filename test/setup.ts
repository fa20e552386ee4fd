import { afterAll, afterEach, beforeAll } from 'vitest';
import { mock } from './helpers/openai-mock.js';

// msw for every test file: the mocked model endpoint, with anything else off-machine refused.
beforeAll(() => mock.listen());
afterEach(() => mock.reset());
afterAll(() => mock.server.close());
