CREATE TYPE "public"."contact_visibility" AS ENUM('public', 'internal', 'private');--> statement-breakpoint
CREATE TYPE "public"."date_precision" AS ENUM('year', 'month', 'day');--> statement-breakpoint
CREATE TABLE "assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"post_id" uuid,
	"role" text,
	"on_behalf_of_id" uuid,
	"start_date" date,
	"start_precision" date_precision,
	"end_date" date,
	"end_precision" date_precision,
	"source" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assignments_start_precision_present" CHECK ((start_date IS NULL) = (start_precision IS NULL)),
	CONSTRAINT "assignments_start_aligned" CHECK (start_date IS NULL OR start_precision = 'day'
        OR (start_precision = 'month' AND extract(day FROM start_date) = 1)
        OR (start_precision = 'year' AND extract(day FROM start_date) = 1 AND extract(month FROM start_date) = 1)),
	CONSTRAINT "assignments_end_precision_present" CHECK ((end_date IS NULL) = (end_precision IS NULL)),
	CONSTRAINT "assignments_end_aligned" CHECK (end_date IS NULL OR end_precision = 'day'
        OR (end_precision = 'month' AND extract(day FROM end_date) = 1)
        OR (end_precision = 'year' AND extract(day FROM end_date) = 1 AND extract(month FROM end_date) = 1)),
	CONSTRAINT "assignments_end_not_before_start" CHECK (start_date IS NULL OR end_date IS NULL OR rb_period_end(end_date, end_precision::text) >= start_date)
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"seq" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
	"actor" text NOT NULL,
	"request_id" text,
	"operation" text NOT NULL,
	"reason" text,
	"changes" jsonb NOT NULL,
	CONSTRAINT "audit_events_id_unique" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "contact_details" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"type" text NOT NULL,
	"value" text NOT NULL,
	"label" text,
	"visibility" "contact_visibility" DEFAULT 'internal' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation_identifiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"scheme" text NOT NULL,
	"identifier" text NOT NULL,
	CONSTRAINT "organisation_identifiers_unique" UNIQUE("scheme","identifier")
);
--> statement-breakpoint
CREATE TABLE "organisation_names" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"start_date" date,
	"start_precision" date_precision,
	"end_date" date,
	"end_precision" date_precision,
	"note" text,
	CONSTRAINT "organisation_names_start_precision_present" CHECK ((start_date IS NULL) = (start_precision IS NULL)),
	CONSTRAINT "organisation_names_start_aligned" CHECK (start_date IS NULL OR start_precision = 'day'
        OR (start_precision = 'month' AND extract(day FROM start_date) = 1)
        OR (start_precision = 'year' AND extract(day FROM start_date) = 1 AND extract(month FROM start_date) = 1)),
	CONSTRAINT "organisation_names_end_precision_present" CHECK ((end_date IS NULL) = (end_precision IS NULL)),
	CONSTRAINT "organisation_names_end_aligned" CHECK (end_date IS NULL OR end_precision = 'day'
        OR (end_precision = 'month' AND extract(day FROM end_date) = 1)
        OR (end_precision = 'year' AND extract(day FROM end_date) = 1 AND extract(month FROM end_date) = 1)),
	CONSTRAINT "organisation_names_end_not_before_start" CHECK (start_date IS NULL OR end_date IS NULL OR rb_period_end(end_date, end_precision::text) >= start_date)
);
--> statement-breakpoint
CREATE TABLE "organisation_parents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"parent_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"start_date" date,
	"start_precision" date_precision,
	"end_date" date,
	"end_precision" date_precision,
	CONSTRAINT "organisation_parents_not_self" CHECK (organisation_id <> parent_id),
	CONSTRAINT "organisation_parents_start_precision_present" CHECK ((start_date IS NULL) = (start_precision IS NULL)),
	CONSTRAINT "organisation_parents_start_aligned" CHECK (start_date IS NULL OR start_precision = 'day'
        OR (start_precision = 'month' AND extract(day FROM start_date) = 1)
        OR (start_precision = 'year' AND extract(day FROM start_date) = 1 AND extract(month FROM start_date) = 1)),
	CONSTRAINT "organisation_parents_end_precision_present" CHECK ((end_date IS NULL) = (end_precision IS NULL)),
	CONSTRAINT "organisation_parents_end_aligned" CHECK (end_date IS NULL OR end_precision = 'day'
        OR (end_precision = 'month' AND extract(day FROM end_date) = 1)
        OR (end_precision = 'year' AND extract(day FROM end_date) = 1 AND extract(month FROM end_date) = 1)),
	CONSTRAINT "organisation_parents_end_not_before_start" CHECK (start_date IS NULL OR end_date IS NULL OR rb_period_end(end_date, end_precision::text) >= start_date)
);
--> statement-breakpoint
CREATE TABLE "organisations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"abbreviation" text,
	"classification" text,
	"location" text,
	"founding_date" date,
	"founding_precision" date_precision,
	"dissolution_date" date,
	"dissolution_precision" date_precision,
	"sort_name" text GENERATED ALWAYS AS (lower(name)) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "organisations_founding_precision_present" CHECK ((founding_date IS NULL) = (founding_precision IS NULL)),
	CONSTRAINT "organisations_founding_aligned" CHECK (founding_date IS NULL OR founding_precision = 'day'
        OR (founding_precision = 'month' AND extract(day FROM founding_date) = 1)
        OR (founding_precision = 'year' AND extract(day FROM founding_date) = 1 AND extract(month FROM founding_date) = 1)),
	CONSTRAINT "organisations_dissolution_precision_present" CHECK ((dissolution_date IS NULL) = (dissolution_precision IS NULL)),
	CONSTRAINT "organisations_dissolution_aligned" CHECK (dissolution_date IS NULL OR dissolution_precision = 'day'
        OR (dissolution_precision = 'month' AND extract(day FROM dissolution_date) = 1)
        OR (dissolution_precision = 'year' AND extract(day FROM dissolution_date) = 1 AND extract(month FROM dissolution_date) = 1)),
	CONSTRAINT "organisations_dissolution_not_before_founding" CHECK (founding_date IS NULL OR dissolution_date IS NULL OR rb_period_end(dissolution_date, dissolution_precision::text) >= founding_date)
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"given_name" text,
	"family_name" text,
	"honorific_prefix" text,
	"sort_name" text GENERATED ALWAYS AS (lower(coalesce(family_name, '') || ' ' || coalesce(given_name, ''))) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "people_has_a_name" CHECK (coalesce(given_name, family_name) IS NOT NULL)
);
--> statement-breakpoint
CREATE TABLE "person_identifiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"scheme" text NOT NULL,
	"identifier" text NOT NULL,
	CONSTRAINT "person_identifiers_unique" UNIQUE("scheme","identifier")
);
--> statement-breakpoint
CREATE TABLE "person_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"url" text NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "person_names" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"start_date" date,
	"start_precision" date_precision,
	"end_date" date,
	"end_precision" date_precision,
	"note" text,
	CONSTRAINT "person_names_start_precision_present" CHECK ((start_date IS NULL) = (start_precision IS NULL)),
	CONSTRAINT "person_names_start_aligned" CHECK (start_date IS NULL OR start_precision = 'day'
        OR (start_precision = 'month' AND extract(day FROM start_date) = 1)
        OR (start_precision = 'year' AND extract(day FROM start_date) = 1 AND extract(month FROM start_date) = 1)),
	CONSTRAINT "person_names_end_precision_present" CHECK ((end_date IS NULL) = (end_precision IS NULL)),
	CONSTRAINT "person_names_end_aligned" CHECK (end_date IS NULL OR end_precision = 'day'
        OR (end_precision = 'month' AND extract(day FROM end_date) = 1)
        OR (end_precision = 'year' AND extract(day FROM end_date) = 1 AND extract(month FROM end_date) = 1)),
	CONSTRAINT "person_names_end_not_before_start" CHECK (start_date IS NULL OR end_date IS NULL OR rb_period_end(end_date, end_precision::text) >= start_date)
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"label" text NOT NULL,
	"max_holders" integer,
	"sort_label" text GENERATED ALWAYS AS (lower(label)) STORED NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "posts_id_organisation_unique" UNIQUE("id","organisation_id"),
	CONSTRAINT "posts_max_holders_positive" CHECK (max_holders IS NULL OR max_holders >= 1)
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_on_behalf_of_id_organisations_id_fk" FOREIGN KEY ("on_behalf_of_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_post_in_organisation_fk" FOREIGN KEY ("post_id","organisation_id") REFERENCES "public"."posts"("id","organisation_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_details" ADD CONSTRAINT "contact_details_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_identifiers" ADD CONSTRAINT "organisation_identifiers_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_names" ADD CONSTRAINT "organisation_names_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_parents" ADD CONSTRAINT "organisation_parents_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_parents" ADD CONSTRAINT "organisation_parents_parent_id_organisations_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_identifiers" ADD CONSTRAINT "person_identifiers_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_names" ADD CONSTRAINT "person_names_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_person_idx" ON "assignments" USING btree ("person_id","start_date");--> statement-breakpoint
CREATE INDEX "assignments_organisation_idx" ON "assignments" USING btree ("organisation_id","start_date");--> statement-breakpoint
CREATE INDEX "assignments_post_idx" ON "assignments" USING btree ("post_id","start_date");--> statement-breakpoint
CREATE INDEX "assignments_sort_idx" ON "assignments" USING btree (coalesce(start_date, '-infinity'::date),"id");--> statement-breakpoint
CREATE INDEX "audit_events_recorded_at_idx" ON "audit_events" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX "contact_details_person_idx" ON "contact_details" USING btree ("person_id","position");--> statement-breakpoint
CREATE INDEX "organisation_identifiers_organisation_idx" ON "organisation_identifiers" USING btree ("organisation_id","position");--> statement-breakpoint
CREATE INDEX "organisation_names_organisation_idx" ON "organisation_names" USING btree ("organisation_id","position");--> statement-breakpoint
CREATE INDEX "organisation_parents_organisation_idx" ON "organisation_parents" USING btree ("organisation_id","position");--> statement-breakpoint
CREATE INDEX "organisation_parents_parent_idx" ON "organisation_parents" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "organisations_sort_idx" ON "organisations" USING btree ("sort_name","id");--> statement-breakpoint
CREATE INDEX "people_sort_idx" ON "people" USING btree ("sort_name","id");--> statement-breakpoint
CREATE INDEX "person_identifiers_person_idx" ON "person_identifiers" USING btree ("person_id","position");--> statement-breakpoint
CREATE INDEX "person_links_person_idx" ON "person_links" USING btree ("person_id","position");--> statement-breakpoint
CREATE INDEX "person_names_person_idx" ON "person_names" USING btree ("person_id","position");--> statement-breakpoint
CREATE INDEX "posts_organisation_idx" ON "posts" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "posts_sort_idx" ON "posts" USING btree ("sort_label","id");