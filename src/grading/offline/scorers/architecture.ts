import { blend, countMatches, distinctMatches, hits, markerLevel, type Scorer } from '../context.js';
import { AWS_SERVICES, FLOW } from '../lexicon.js';

/** system design: named components and how a request flows through them. */
export const architecture: Scorer = (ctx) => {
  const services = distinctMatches(ctx.answer, AWS_SERVICES);
  const flow = countMatches(ctx.answer, FLOW);
  const level = markerLevel(services.length + Math.min(2, flow), [1, 3, 5, 7]);
  return {
    level: blend(level, ctx, 0.5),
    evidence: hits(ctx, services.length ? AWS_SERVICES : FLOW),
    shows: services.length
      ? `Components named: ${services.slice(0, 6).join(', ')}${flow ? ', with the request flow between them' : ''}`
      : flow
        ? 'Describes how a request flows'
        : '',
    lacks: !services.length
      ? 'No concrete components: name the services a request passes through'
      : !flow
        ? 'The request flow is not described: say how a request passes through the components'
        : services.length < 5
          ? 'Name the remaining components and why each is there'
          : '',
  };
};
