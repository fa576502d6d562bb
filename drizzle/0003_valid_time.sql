CREATE TYPE "public"."organisation_event_role" AS ENUM('original', 'resulting');--> statement-breakpoint
CREATE TYPE "public"."organisation_event_type" AS ENUM('rename', 'merge', 'split', 'dissolve');--> statement-breakpoint
CREATE TABLE "organisation_event_organisations" (
	"event_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"role" "organisation_event_role" NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "organisation_event_organisations_unique" UNIQUE("event_id","organisation_id","role")
);
--> statement-breakpoint
CREATE TABLE "organisation_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"type" "organisation_event_type" NOT NULL,
	"date" date NOT NULL,
	"note" text,
	"source" text,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"date" date NOT NULL,
	"reason" text,
	"source" text,
	"recorded_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "possible_span" daterange GENERATED ALWAYS AS (rb_possible_span(start_date, start_precision, end_date, end_precision)) STORED;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "certain_span" daterange GENERATED ALWAYS AS (rb_certain_span(start_date, start_precision, end_date, end_precision)) STORED;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "exclusive_post_id" uuid;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "started_by_transition_id" uuid;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "ended_by_transition_id" uuid;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "ended_by_event_id" uuid;--> statement-breakpoint
ALTER TABLE "organisation_parents" ADD COLUMN "possible_span" daterange GENERATED ALWAYS AS (rb_possible_span(start_date, start_precision, end_date, end_precision)) STORED;--> statement-breakpoint
ALTER TABLE "organisation_parents" ADD COLUMN "certain_span" daterange GENERATED ALWAYS AS (rb_certain_span(start_date, start_precision, end_date, end_precision)) STORED;--> statement-breakpoint
ALTER TABLE "organisation_parents" ADD COLUMN "ended_by_event_id" uuid;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "possible_span" daterange GENERATED ALWAYS AS (rb_possible_span(founding_date, founding_precision, dissolution_date, dissolution_precision)) STORED;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "certain_span" daterange GENERATED ALWAYS AS (rb_certain_span(founding_date, founding_precision, dissolution_date, dissolution_precision)) STORED;--> statement-breakpoint
ALTER TABLE "organisation_event_organisations" ADD CONSTRAINT "organisation_event_organisations_event_id_organisation_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."organisation_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_event_organisations" ADD CONSTRAINT "organisation_event_organisations_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "organisation_event_organisations_organisation_idx" ON "organisation_event_organisations" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "organisation_events_date_idx" ON "organisation_events" USING btree ("date");--> statement-breakpoint
CREATE INDEX "transitions_date_idx" ON "transitions" USING btree ("date");--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_started_by_transition_id_transitions_id_fk" FOREIGN KEY ("started_by_transition_id") REFERENCES "public"."transitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_ended_by_transition_id_transitions_id_fk" FOREIGN KEY ("ended_by_transition_id") REFERENCES "public"."transitions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_ended_by_event_id_organisation_events_id_fk" FOREIGN KEY ("ended_by_event_id") REFERENCES "public"."organisation_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_parents" ADD CONSTRAINT "organisation_parents_ended_by_event_id_organisation_events_id_fk" FOREIGN KEY ("ended_by_event_id") REFERENCES "public"."organisation_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_organisation_span_idx" ON "assignments" USING gist ("organisation_id","possible_span");--> statement-breakpoint
CREATE INDEX "assignments_post_span_idx" ON "assignments" USING gist ("post_id","possible_span");--> statement-breakpoint
CREATE INDEX "assignments_person_span_idx" ON "assignments" USING gist ("person_id","possible_span");--> statement-breakpoint
CREATE INDEX "organisation_parents_parent_span_idx" ON "organisation_parents" USING gist ("parent_id","possible_span");