ALTER TABLE "sessions" ADD COLUMN "question_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "skipped_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "graded_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "score_sum" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "prompt_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "completion_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "public"."sessions" s SET
  "question_count" = (SELECT count(*) FROM "public"."session_questions" q WHERE q."session_id" = s."id"),
  "skipped_count" = (SELECT count(*) FROM "public"."session_questions" q WHERE q."session_id" = s."id" AND q."state" = 'skipped'),
  "graded_count" = (SELECT count(*) FROM "public"."grades" g WHERE g."session_id" = s."id"),
  "score_sum" = (SELECT coalesce(sum(g."score"), 0) FROM "public"."grades" g WHERE g."session_id" = s."id"),
  "prompt_tokens" = (SELECT coalesce(sum(g."prompt_tokens"), 0) FROM "public"."grades" g WHERE g."session_id" = s."id")
    + (SELECT coalesce(sum(m."prompt_tokens"), 0) FROM "public"."messages" m WHERE m."session_id" = s."id"),
  "completion_tokens" = (SELECT coalesce(sum(g."completion_tokens"), 0) FROM "public"."grades" g WHERE g."session_id" = s."id")
    + (SELECT coalesce(sum(m."completion_tokens"), 0) FROM "public"."messages" m WHERE m."session_id" = s."id");
--> statement-breakpoint
CREATE FUNCTION "public"."session_totals_question"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "public"."sessions" SET
    "question_count" = "question_count" + (CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE 0 END),
    "skipped_count" = "skipped_count" + (NEW."state" = 'skipped')::int
      - (CASE WHEN TG_OP = 'UPDATE' THEN (OLD."state" = 'skipped')::int ELSE 0 END)
  WHERE "id" = NEW."session_id";
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "session_totals_question_added" AFTER INSERT ON "public"."session_questions"
  FOR EACH ROW EXECUTE FUNCTION "public"."session_totals_question"();
--> statement-breakpoint
CREATE TRIGGER "session_totals_question_state" AFTER UPDATE OF "state" ON "public"."session_questions"
  FOR EACH ROW WHEN ((OLD."state" = 'skipped') IS DISTINCT FROM (NEW."state" = 'skipped'))
  EXECUTE FUNCTION "public"."session_totals_question"();
--> statement-breakpoint
CREATE FUNCTION "public"."session_totals_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'grades' THEN
    UPDATE "public"."sessions" SET "graded_count" = "graded_count" + 1, "score_sum" = "score_sum" + NEW."score"
    WHERE "id" = NEW."session_id";
  END IF;
  IF NEW."prompt_tokens" IS NOT NULL OR NEW."completion_tokens" IS NOT NULL THEN
    UPDATE "public"."sessions" SET "prompt_tokens" = "prompt_tokens" + coalesce(NEW."prompt_tokens", 0),
      "completion_tokens" = "completion_tokens" + coalesce(NEW."completion_tokens", 0)
    WHERE "id" = NEW."session_id";
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "session_totals_grade_added" AFTER INSERT ON "public"."grades"
  FOR EACH ROW EXECUTE FUNCTION "public"."session_totals_added"();
--> statement-breakpoint
CREATE TRIGGER "session_totals_message_added" AFTER INSERT ON "public"."messages"
  FOR EACH ROW WHEN (NEW."prompt_tokens" IS NOT NULL OR NEW."completion_tokens" IS NOT NULL)
  EXECUTE FUNCTION "public"."session_totals_added"();
