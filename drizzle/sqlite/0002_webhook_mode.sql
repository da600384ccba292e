CREATE TABLE `event_jobs` (
	`app_id` text NOT NULL,
	`event_id` text NOT NULL,
	`run` integer NOT NULL,
	`job_id` text NOT NULL,
	`open` integer NOT NULL,
	PRIMARY KEY(`app_id`, `event_id`, `run`, `job_id`),
	FOREIGN KEY (`app_id`,`event_id`) REFERENCES `events`(`app_id`,`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `event_jobs_open` ON `event_jobs` (`app_id`,`event_id`,`run`,`open`);--> statement-breakpoint
CREATE TABLE `webhook_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`app_id` text NOT NULL,
	`event_id` text NOT NULL,
	`run` integer NOT NULL,
	`at` integer NOT NULL,
	`status_code` integer,
	`duration_ms` integer NOT NULL,
	`error` text,
	`response` text,
	FOREIGN KEY (`app_id`,`event_id`) REFERENCES `events`(`app_id`,`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_event` ON `webhook_attempts` (`app_id`,`event_id`);--> statement-breakpoint
ALTER TABLE `events` ADD `webhook_outcome` text;