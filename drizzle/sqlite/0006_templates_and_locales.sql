CREATE TABLE `notification_templates` (
	`app_id` text NOT NULL,
	`event_type` text NOT NULL,
	`template` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`app_id`, `event_type`),
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `apps` ADD `default_locale` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `devices` ADD `locale` text;--> statement-breakpoint
ALTER TABLE `notification_settings` ADD `locale` text;