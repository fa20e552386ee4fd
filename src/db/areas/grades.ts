import type { Grade } from '../../grading/grade.js';
import type { Debrief } from '../../interview/debrief.js';
import type { Usage } from '../../llm/usage.js';
import type { DebriefRow, GradeRow } from '../rows.js';

/** Grades of answered questions, and the debrief of a finished session. */
export interface GradesArea {
  insertGrade(g: NewGrade): Promise<void>;
  grades(sessionId: string): Promise<GradeRow[]>;
  /** The scores alone, without parsing the grades. */
  scores(sessionId: string): Promise<Array<{ sessionQuestionId: number; score: number }>>;
  saveDebrief(sessionId: string, debrief: Debrief, at: Date): Promise<void>;
  debrief(sessionId: string): Promise<DebriefRow | undefined>;
}

export interface NewGrade {
  sessionId: string;
  sessionQuestionId: number;
  grade: Grade;
  usage?: Usage;
  at: Date;
}
