CREATE TABLE `app_secrets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`app_id` text NOT NULL,
	`kind` text NOT NULL,
	`digest` text NOT NULL,
	`sealed` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	FOREIGN KEY (`app_id`) REFERENCES `apps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `app_secrets_digest_unique` ON `app_secrets` (`kind`,`digest`);--> statement-breakpoint
CREATE INDEX `app_secrets_app_kind` ON `app_secrets` (`app_id`,`kind`);--> statement-breakpoint
CREATE TABLE `apps` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`mode` text NOT NULL,
	`push_enabled` integer NOT NULL,
	`require_auth_token` integer NOT NULL,
	`notification_ttl_seconds` integer NOT NULL,
	`api_key` text NOT NULL,
	`webhook_url` text,
	`webhook_timeout_ms` integer,
	`webhook_fallback` text,
	`fcm_service_account_sealed` text,
	`fcm_project_id` text,
	`apns_team_id` text,
	`apns_key_id` text,
	`apns_bundle_id` text,
	`apns_private_key_sealed` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `apps_api_key_unique` ON `apps` (`api_key`);