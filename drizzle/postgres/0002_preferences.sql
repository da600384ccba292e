ALTER TABLE "apps" ADD COLUMN "quiet_delivery" text DEFAULT 'drop' NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "silenced" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "level" text;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "muted_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "snoozed_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "quiet_hours" jsonb;--> statement-breakpoint
-- Written by hand: a v1 channel switch becomes its level.
UPDATE "notification_settings" SET "level" = CASE WHEN "enabled" THEN 'all' ELSE 'none' END WHERE "scope" = 'channel';