/** Finding what a pattern matches in a text: each pattern compiled once, denied matches left out. */

/** Something derived from a pattern, made once per pattern. */
export const perPattern = <T>(make: (re: RegExp) => T) => {
  const cache = new WeakMap<RegExp, T>();
  return (re: RegExp) => {
    let r = cache.get(re);
    if (r === undefined) cache.set(re, (r = make(re)));
    return r;
  };
};
/** The global and the single-match form of a pattern, each compiled once. */
const global = perPattern((re) => new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`));
export const single = perPattern((re) => new RegExp(re.source, re.flags.replace('g', '')));

export function countMatches(text: string, re: RegExp): number {
  return text.match(global(re))?.length ?? 0;
}

/** A negation shortly before a match, in the same clause: "with no cache", "never needs sharding or replicas". */
const NEGATED = /\b(no|not|never|without|nor|neither|don't|doesn't|didn't|isn't|aren't|won't|cannot|can't)\b[^.,;:!?]{0,30}$/i;

/** The distinct things a pattern finds in a text, leaving out those the text denies. */
export function distinctMatches(text: string, re: RegExp): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(global(re))) {
    if (!NEGATED.test(text.slice(Math.max(0, m.index - 40), m.index))) found.add(m[0].toLowerCase().trim());
  }
  return [...found];
}
