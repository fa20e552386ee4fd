import type { Usage } from '../../llm/usage.js';
import type { MessageRow } from '../rows.js';

/** The conversation: what the interviewer and the candidate said, in order. */
export interface MessagesArea {
  messages(sessionId: string): Promise<MessageRow[]>;
  questionMessages(sessionQuestionId: number): Promise<MessageRow[]>;
  /** The id of the interviewer's last message (what an answer replies to), 0 for none. */
  lastInterviewerMessageId(sessionId: string): Promise<number>;
  insertMessage(m: NewMessage): Promise<MessageRow>;
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
