ALTER TABLE "sessions" ADD COLUMN "turn_request_id" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "turn_trace_parent" text;