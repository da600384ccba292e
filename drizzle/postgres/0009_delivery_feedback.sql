CREATE TABLE "event_deliveries" (
	"app_id" text NOT NULL,
	"event_id" text NOT NULL,
	"token" text NOT NULL,
	"run" integer NOT NULL,
	"user_id" text,
	"device_id" text,
	"provider" text NOT NULL,
	"outcome" text NOT NULL,
	"attempts" integer NOT NULL,
	"provider_status" text,
	"provider_error" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "event_deliveries_app_id_event_id_token_pk" PRIMARY KEY("app_id","event_id","token")
);
--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "status_callback_url" text;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "status_callback_events" text;--> statement-breakpoint
ALTER TABLE "event_deliveries" ADD CONSTRAINT "event_deliveries_app_id_event_id_events_app_id_id_fk" FOREIGN KEY ("app_id","event_id") REFERENCES "public"."events"("app_id","id") ON DELETE cascade ON UPDATE no action;