CREATE TABLE `device_sync_users` (
	`device_id` text NOT NULL,
	`app_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`device_id`, `user_id`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `device_sync_users_app_user` ON `device_sync_users` (`app_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `device_tokens` (
	`app_id` text NOT NULL,
	`token` text NOT NULL,
	`device_id` text NOT NULL,
	`provider` text NOT NULL,
	`platform` text NOT NULL,
	`voip` integer NOT NULL,
	PRIMARY KEY(`app_id`, `token`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `device_tokens_device_slot_unique` ON `device_tokens` (`device_id`,`voip`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`app_id` text NOT NULL,
	`client_device_id` text,
	`user_id` text NOT NULL,
	`session_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`session_id`) REFERENCES `sessions`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_client_device_id_unique` ON `devices` (`app_id`,`client_device_id`);--> statement-breakpoint
CREATE INDEX `devices_app_user` ON `devices` (`app_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `devices_session` ON `devices` (`session_id`);--> statement-breakpoint
CREATE TABLE `channel_members` (
	`app_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`user_id` text NOT NULL,
	PRIMARY KEY(`app_id`, `channel_id`, `user_id`),
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `events` (
	`app_id` text NOT NULL,
	`id` text NOT NULL,
	`type` text NOT NULL,
	`mode` text NOT NULL,
	`status` text NOT NULL,
	`payload` text NOT NULL,
	`received_at` integer NOT NULL,
	`completed_at` integer,
	`expires_at` integer,
	`run` integer DEFAULT 0 NOT NULL,
	`recipients` integer DEFAULT 0 NOT NULL,
	`suppressed` integer DEFAULT 0 NOT NULL,
	`tokens` integer DEFAULT 0 NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`invalid_tokens` integer DEFAULT 0 NOT NULL,
	`expired` integer DEFAULT 0 NOT NULL,
	`open_jobs` integer DEFAULT 0 NOT NULL,
	`error` text,
	PRIMARY KEY(`app_id`, `id`),
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `events_app_status_received` ON `events` (`app_id`,`status`,`received_at`);--> statement-breakpoint
CREATE INDEX `events_received` ON `events` (`received_at`);--> statement-breakpoint
CREATE TABLE `notification_settings` (
	`app_id` text NOT NULL,
	`user_id` text NOT NULL,
	`scope` text NOT NULL,
	`scope_id` text NOT NULL,
	`enabled` integer NOT NULL,
	`role_filter` text,
	PRIMARY KEY(`app_id`, `user_id`, `scope`, `scope_id`),
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`app_id` text NOT NULL,
	`user_id` text NOT NULL,
	`token_digest` text NOT NULL,
	`client_device_id` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_token_digest_unique` ON `sessions` (`token_digest`);--> statement-breakpoint
CREATE INDEX `sessions_expires_at` ON `sessions` (`expires_at`);