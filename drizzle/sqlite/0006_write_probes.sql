CREATE TABLE `write_probes` (
	`owner` text PRIMARY KEY NOT NULL,
	`at` text NOT NULL
);
