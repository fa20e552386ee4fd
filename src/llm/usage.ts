/** Tokens a model call used, as the endpoint reported them. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export function addUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens };
}
