ALTER TABLE "assignments" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "payload_hash" text NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "prev_hash" text NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "hash" text NOT NULL;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "redacted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "contact_details" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_event_organisations" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_events" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_identifiers" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_names" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "organisation_parents" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "person_identifiers" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "person_links" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "person_names" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
ALTER TABLE "transitions" ADD COLUMN "sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_events_actor_idx" ON "audit_events" USING btree ("actor","seq");--> statement-breakpoint
CREATE INDEX "audit_events_operation_idx" ON "audit_events" USING btree ("operation","seq");--> statement-breakpoint
CREATE INDEX "audit_events_changes_idx" ON "audit_events" USING gin (changes jsonb_path_ops);--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_hash_unique" UNIQUE("hash");