CREATE TABLE "recordings" (
	"id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"session_question_id" integer NOT NULL,
	"message_id" integer,
	"source" text NOT NULL,
	"transcript" text NOT NULL,
	"segments" jsonb NOT NULL,
	"duration_ms" integer NOT NULL,
	"delivery" jsonb NOT NULL,
	"audio" "bytea",
	"audio_type" text,
	"created_at" text NOT NULL,
	CONSTRAINT "recordings_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_session_question_id_session_questions_id_fk" FOREIGN KEY ("session_question_id") REFERENCES "public"."session_questions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recordings" ADD CONSTRAINT "recordings_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "recordings_session_idx" ON "recordings" USING btree ("session_id");