/**
 * Start a session and answer it from a script, with a token: the README's typed-client example.
 *
 *   MOCKLOOP_URL=http://127.0.0.1:8787 MOCKLOOP_TOKEN=mlk_… node --import tsx examples/typed-client.ts
 */
import { createClient } from 'mockloop/client';

const api = createClient(process.env.MOCKLOOP_URL ?? 'http://127.0.0.1:8787', { token: process.env.MOCKLOOP_TOKEN });

const created = await api.api.sessions.$post({ json: { questionIds: ['amazon-32'], maxFollowUps: 0 } });
if (created.status !== 201) throw new Error(`could not start a session: ${created.status} ${await created.text()}`);
const session = await created.json();
console.log(`Q: ${session.messages.at(-1)?.content}`);

const answered = await api.api.sessions[':id'].answer.$post({
  param: { id: session.id },
  header: {},
  json: { text: 'DynamoDB replicates each partition across three Availability Zones and acknowledges a write once a quorum has it.' },
});
if (answered.status !== 200) throw new Error(`could not answer: ${answered.status} ${await answered.text()}`);
const turn = await answered.json();
// Asked for JSON (no `Accept: text/event-stream`), the body is the TurnResult.
if (!('grades' in turn)) throw new Error('expected the JSON turn result');
for (const g of turn.grades) console.log(`Graded ${g.grade.score}/100 (${g.grade.verdict}) by the ${g.grade.grader.kind} grader`);
console.log(`Session ${turn.session.status}, ${turn.session.gradedCount} of ${turn.session.questionCount} graded`);
