import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What every log line written while a request is handled carries: its request id. The request's
 * middleware runs the rest of the request (the turn, its model calls, a stream it keeps open)
 * inside it, so a line logged deep in the turn needs no id passed down to it.
 */
export interface RequestScope {
  reqId: string;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
