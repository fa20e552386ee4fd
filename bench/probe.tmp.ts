import { createSandbox } from '../src/coding/sandbox/index.js';
import { codingPack } from '../src/coding/pack.js';
import { measureGrowth } from '../src/coding/growth.js';
const sb = createSandbox();
for (const id of ['lru-cache', 'merge-overlapping', 'count-islands', 'zero-sum-triplets']) {
  const p = codingPack().get(id)!;
  const g = await measureGrowth(sb, p, 'javascript', p.reference.javascript);
  const slow = p.wrong.find((w) => w.language === 'javascript' && w.kind === 'too_slow');
  const s = slow && (await measureGrowth(sb, p, 'javascript', slow.code));
  console.log(id, 'ref', g.measured, g.withinExpected, '| slow', s?.measured, s?.withinExpected);
}
await sb.close();
