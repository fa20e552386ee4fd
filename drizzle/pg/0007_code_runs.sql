CREATE TABLE "code_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"session_question_id" integer NOT NULL,
	"kind" text NOT NULL,
	"language" text NOT NULL,
	"code" text NOT NULL,
	"result" jsonb NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "code_runs" ADD CONSTRAINT "code_runs_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_runs" ADD CONSTRAINT "code_runs_session_question_id_session_questions_id_fk" FOREIGN KEY ("session_question_id") REFERENCES "public"."session_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "code_runs_session_idx" ON "code_runs" USING btree ("session_id","id");