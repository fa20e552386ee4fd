import type { BarVerdict, Level } from '../../grading/levels.js';
import type { RecordingRow, SessionRow } from '../rows.js';

/** What the lists, the summaries and Progress read across sessions: nothing here writes. */
export interface ReadModelsArea {
  listSessions(userId: string, limit: number, offset: number): Promise<SessionRow[]>;
  countSessions(userId: string): Promise<number>;
  /** Question ids asked in the user's most recent sessions. */
  recentQuestionIds(userId: string, sessionsBack: number): Promise<Set<string>>;
  progress(userId: string): Promise<ProgressPoint[]>;
  /** The delivery of every spoken answer of the user's sessions, oldest first (Progress). */
  deliveries(userId: string): Promise<Array<{ sessionId: string; sessionCreatedAt: string; delivery: RecordingRow['delivery'] }>>;
}

/** Summary figures of a session: questions, answered, mean score, tokens. */
export interface SessionStats {
  questions: number;
  graded: number;
  skipped: number;
  score: number | null;
  promptTokens: number;
  completionTokens: number;
}

export interface ProgressPoint {
  sessionId: string;
  sessionCreatedAt: string;
  gradedAt: string;
  questionId: string;
  category: string;
  rubricId: string;
  score: number;
  /** The level the session practised for (null: from before levels). */
  level: Level | null;
  /** Where the answer stood against that level's bar (null: graded before levels). */
  bar: BarVerdict | null;
}
