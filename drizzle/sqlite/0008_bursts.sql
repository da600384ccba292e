ALTER TABLE `apps` ADD `burst_window_seconds` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `events` ADD `folded` integer DEFAULT 0 NOT NULL;