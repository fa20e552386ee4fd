import type { Usage } from '../../llm/usage.js';
import type { MessageRow } from '../rows.js';

/** The conversation: what the interviewer and the candidate said, in order. */
export interface MessagesArea {
  /** The session's messages in order, each with its number in the session. */
  messages(sessionId: string): Promise<SessionMessage[]>;
  questionMessages(sessionQuestionId: number): Promise<MessageRow[]>;
  /** The number in its session of the interviewer's last message (what an answer replies to), 0 for none. */
  lastInterviewerMessageNumber(sessionId: string): Promise<number>;
  insertMessage(m: NewMessage): Promise<SessionMessage>;
}

/**
 * A stored message with its number in its session's conversation (1, 2, 3…): the id the API
 * shows and takes. Row ids are global and sequential (how many messages everyone wrote), so they
 * stay inside the server.
 */
export interface SessionMessage extends MessageRow {
  number: number;
}

export interface NewMessage {
  sessionId: string;
  sessionQuestionId: number | null;
  role: 'interviewer' | 'candidate';
  kind: MessageRow['kind'];
  content: string;
  usage?: Usage;
  at: Date;
}
