CREATE TABLE `event_deliveries` (
	`app_id` text NOT NULL,
	`event_id` text NOT NULL,
	`token` text NOT NULL,
	`run` integer NOT NULL,
	`user_id` text,
	`device_id` text,
	`provider` text NOT NULL,
	`outcome` text NOT NULL,
	`attempts` integer NOT NULL,
	`provider_status` text,
	`provider_error` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`app_id`, `event_id`, `token`),
	FOREIGN KEY (`app_id`,`event_id`) REFERENCES `events`(`app_id`,`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `apps` ADD `status_callback_url` text;--> statement-breakpoint
ALTER TABLE `apps` ADD `status_callback_events` text;