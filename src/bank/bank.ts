import { createHash } from 'node:crypto';
import { AppError } from '../errors.js';
import type { BankEntry, Category, Topic } from './schema.js';

export interface QuestionFilter {
  category?: Category;
  topic?: Topic;
  source?: string;
  /** Words that must all appear in the prompt, the reference answer or the id. */
  q?: string;
  limit: number;
  offset: number;
}

export interface Facet {
  id: string;
  count: number;
}

/**
 * The question bank in memory. It is validated once at start-up and never changes while the
 * server runs, so every lookup, filter and search is served from here, indexed by id, category,
 * topic and source; the database keeps a copy only for joins and history.
 */
/** A page of the listing as the API sends it, serialised once, with an ETag of its bytes. */
export interface SerializedPage {
  /** The JSON body as UTF-8 bytes: sent as they are, with no encoding per request. */
  body: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** How many distinct listing pages are kept serialised (the oldest is dropped first). */
const MAX_PAGES = 512;

export class Bank {
  /** In listing order: by source, then number (unnumbered last), then id. */
  readonly entries: readonly BankEntry[];
  private readonly byId: Map<string, BankEntry>;
  private readonly index: { category: Map<string, BankEntry[]>; topic: Map<string, BankEntry[]>; source: Map<string, BankEntry[]> };
  private readonly searchText: Map<BankEntry, string>;
  readonly facets: { categories: Facet[]; topics: Facet[]; sources: Facet[] };
  private readonly pages = new Map<string, SerializedPage>();

  constructor(entries: readonly BankEntry[]) {
    this.entries = [...entries].sort(
      (a, b) =>
        a.source.localeCompare(b.source) ||
        Number(a.number === null) - Number(b.number === null) ||
        (a.number ?? 0) - (b.number ?? 0) ||
        a.id.localeCompare(b.id),
    );
    this.byId = new Map(this.entries.map((e) => [e.id, e]));
    const group = (keys: (e: BankEntry) => readonly string[]) => {
      const m = new Map<string, BankEntry[]>();
      for (const e of this.entries) for (const k of keys(e)) m.set(k, [...(m.get(k) ?? []), e]);
      return m;
    };
    this.index = { category: group((e) => [e.category]), topic: group((e) => e.topics), source: group((e) => [e.source]) };
    this.searchText = new Map(this.entries.map((e) => [e, `${e.prompt}\n${e.referenceAnswer}\n${e.id}`.toLowerCase()]));
    const counts = (m: Map<string, BankEntry[]>) =>
      [...m.entries()].map(([id, es]) => ({ id, count: es.length })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.facets = { categories: counts(this.index.category), topics: counts(this.index.topic), sources: counts(this.index.source) };
  }

  get(id: string): BankEntry | undefined {
    return this.byId.get(id);
  }

  /** A question a stored session refers to: its absence is a broken database, not bad input. */
  require(id: string): BankEntry {
    const q = this.byId.get(id);
    if (!q) throw new AppError('internal', `question ${id} is missing from the bank`);
    return q;
  }

  /** Filter and search, in listing order, one page of it. Each index keeps listing order, so the narrowest one is scanned. */
  list(f: QuestionFilter): { items: BankEntry[]; total: number } {
    const pools: Array<readonly BankEntry[]> = [this.entries];
    if (f.category) pools.push(this.index.category.get(f.category) ?? []);
    if (f.topic) pools.push(this.index.topic.get(f.topic) ?? []);
    if (f.source) pools.push(this.index.source.get(f.source) ?? []);
    const pool = pools.reduce((a, b) => (b.length < a.length ? b : a));
    const terms = (f.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const matches = pool.filter(
      (e) =>
        (!f.category || e.category === f.category) &&
        (!f.topic || e.topics.includes(f.topic)) &&
        (!f.source || e.source === f.source) &&
        terms.every((t) => this.searchText.get(e)!.includes(t)),
    );
    return { items: matches.slice(f.offset, f.offset + f.limit), total: matches.length };
  }

  /**
   * `list` as the API's JSON body. The bank is immutable, so a page's bytes are too: they are
   * serialised once and kept (bounded), and their ETag lets a client revalidate for nothing.
   */
  page(f: QuestionFilter): SerializedPage {
    const key = JSON.stringify([f.category, f.topic, f.source, f.q, f.limit, f.offset]);
    let page = this.pages.get(key);
    if (!page) {
      const json = JSON.stringify({ ...this.list(f), limit: f.limit, offset: f.offset });
      const body = Buffer.from(json);
      page = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      if (this.pages.size >= MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
      this.pages.set(key, page);
    }
    return page;
  }
}
