CREATE TABLE "notification_templates" (
	"app_id" text NOT NULL,
	"event_type" text NOT NULL,
	"template" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "notification_templates_app_id_event_type_pk" PRIMARY KEY("app_id","event_type")
);
--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "default_locale" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "notification_settings" ADD COLUMN "locale" text;--> statement-breakpoint
ALTER TABLE "notification_templates" ADD CONSTRAINT "notification_templates_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;