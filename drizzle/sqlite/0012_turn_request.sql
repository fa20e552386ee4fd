ALTER TABLE `sessions` ADD `turn_request_id` text;--> statement-breakpoint
ALTER TABLE `sessions` ADD `turn_trace_parent` text;