ALTER TABLE "device_sync_users" ADD COLUMN "session_id" text;--> statement-breakpoint
ALTER TABLE "device_sync_users" ADD CONSTRAINT "device_sync_users_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "device_sync_users_session" ON "device_sync_users" USING btree ("session_id");