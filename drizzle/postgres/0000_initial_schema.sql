CREATE TABLE "app_secrets" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "app_secrets_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"kind" text NOT NULL,
	"digest" text NOT NULL,
	"sealed" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "apps" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"mode" text NOT NULL,
	"push_enabled" boolean NOT NULL,
	"require_auth_token" boolean NOT NULL,
	"notification_ttl_seconds" integer NOT NULL,
	"api_key" text NOT NULL,
	"webhook_url" text,
	"webhook_timeout_ms" integer,
	"webhook_fallback" text,
	"fcm_service_account_sealed" text,
	"fcm_project_id" text,
	"apns_team_id" text,
	"apns_key_id" text,
	"apns_bundle_id" text,
	"apns_private_key_sealed" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_sync_users" (
	"device_id" text NOT NULL,
	"app_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "device_sync_users_device_id_user_id_pk" PRIMARY KEY("device_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "device_tokens" (
	"app_id" text NOT NULL,
	"token" text NOT NULL,
	"device_id" text NOT NULL,
	"provider" text NOT NULL,
	"platform" text NOT NULL,
	"voip" boolean NOT NULL,
	CONSTRAINT "device_tokens_app_id_token_pk" PRIMARY KEY("app_id","token")
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"client_device_id" text,
	"user_id" text NOT NULL,
	"session_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "channel_members" (
	"app_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "channel_members_app_id_channel_id_user_id_pk" PRIMARY KEY("app_id","channel_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "event_jobs" (
	"app_id" text NOT NULL,
	"event_id" text NOT NULL,
	"run" integer NOT NULL,
	"job_id" text NOT NULL,
	"open" boolean NOT NULL,
	CONSTRAINT "event_jobs_app_id_event_id_run_job_id_pk" PRIMARY KEY("app_id","event_id","run","job_id")
);
--> statement-breakpoint
CREATE TABLE "events" (
	"app_id" text NOT NULL,
	"id" text NOT NULL,
	"type" text NOT NULL,
	"mode" text NOT NULL,
	"status" text NOT NULL,
	"payload" json NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"run" integer DEFAULT 0 NOT NULL,
	"recipients" integer DEFAULT 0 NOT NULL,
	"suppressed" integer DEFAULT 0 NOT NULL,
	"tokens" integer DEFAULT 0 NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"invalid_tokens" integer DEFAULT 0 NOT NULL,
	"expired" integer DEFAULT 0 NOT NULL,
	"error" text,
	"webhook_outcome" text,
	CONSTRAINT "events_app_id_id_pk" PRIMARY KEY("app_id","id")
);
--> statement-breakpoint
CREATE TABLE "webhook_attempts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "webhook_attempts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"app_id" text NOT NULL,
	"event_id" text NOT NULL,
	"run" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"duration_ms" integer NOT NULL,
	"error" text,
	"response" text
);
--> statement-breakpoint
CREATE TABLE "notification_settings" (
	"app_id" text NOT NULL,
	"user_id" text NOT NULL,
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"enabled" boolean NOT NULL,
	"role_filter" jsonb,
	CONSTRAINT "notification_settings_app_id_user_id_scope_scope_id_pk" PRIMARY KEY("app_id","user_id","scope","scope_id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"user_id" text NOT NULL,
	"token_digest" text NOT NULL,
	"client_device_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "app_secrets" ADD CONSTRAINT "app_secrets_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_sync_users" ADD CONSTRAINT "device_sync_users_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_tokens" ADD CONSTRAINT "device_tokens_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "devices" ADD CONSTRAINT "devices_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_members" ADD CONSTRAINT "channel_members_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_jobs" ADD CONSTRAINT "event_jobs_app_id_event_id_events_app_id_id_fk" FOREIGN KEY ("app_id","event_id") REFERENCES "public"."events"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_app_id_event_id_events_app_id_id_fk" FOREIGN KEY ("app_id","event_id") REFERENCES "public"."events"("app_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD CONSTRAINT "notification_settings_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "app_secrets_digest_unique" ON "app_secrets" USING btree ("kind","digest");--> statement-breakpoint
CREATE INDEX "app_secrets_app_kind" ON "app_secrets" USING btree ("app_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "apps_api_key_unique" ON "apps" USING btree ("api_key");--> statement-breakpoint
CREATE INDEX "device_sync_users_app_user" ON "device_sync_users" USING btree ("app_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "device_tokens_device_slot_unique" ON "device_tokens" USING btree ("device_id","voip");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_client_device_id_unique" ON "devices" USING btree ("app_id","client_device_id");--> statement-breakpoint
CREATE INDEX "devices_app_user" ON "devices" USING btree ("app_id","user_id");--> statement-breakpoint
CREATE INDEX "devices_session" ON "devices" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "event_jobs_open" ON "event_jobs" USING btree ("app_id","event_id","run","open");--> statement-breakpoint
CREATE INDEX "events_app_status_received" ON "events" USING btree ("app_id","status","received_at");--> statement-breakpoint
CREATE INDEX "events_received" ON "events" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "webhook_attempts_event" ON "webhook_attempts" USING btree ("app_id","event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_token_digest_unique" ON "sessions" USING btree ("token_digest");--> statement-breakpoint
CREATE INDEX "sessions_expires_at" ON "sessions" USING btree ("expires_at");