CREATE TABLE "assignment_identifiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL,
	"assignment_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"scheme" text NOT NULL,
	"identifier" text NOT NULL,
	CONSTRAINT "assignment_identifiers_unique" UNIQUE("scheme","identifier")
);
--> statement-breakpoint
CREATE TABLE "post_identifiers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"sys_period" "tstzrange" DEFAULT tstzrange(now(), NULL) NOT NULL,
	"post_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"scheme" text NOT NULL,
	"identifier" text NOT NULL,
	CONSTRAINT "post_identifiers_unique" UNIQUE("scheme","identifier")
);
--> statement-breakpoint
ALTER TABLE "assignment_identifiers" ADD CONSTRAINT "assignment_identifiers_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_identifiers" ADD CONSTRAINT "post_identifiers_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignment_identifiers_assignment_idx" ON "assignment_identifiers" USING btree ("assignment_id","position");--> statement-breakpoint
CREATE INDEX "post_identifiers_post_idx" ON "post_identifiers" USING btree ("post_id","position");--> statement-breakpoint
-- Both tables are versioned like the other identifier tables (drizzle/0007): a history twin, the
-- triggers that fill it, and a view in the asof schema.
CREATE TABLE post_identifiers_history (LIKE post_identifiers);--> statement-breakpoint
CREATE INDEX post_identifiers_history_period_idx ON post_identifiers_history USING gist (sys_period);--> statement-breakpoint
CREATE INDEX post_identifiers_history_post_idx ON post_identifiers_history (post_id);--> statement-breakpoint
CREATE TRIGGER post_identifiers_version BEFORE UPDATE ON post_identifiers
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER post_identifiers_version_delete AFTER DELETE ON post_identifiers
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.post_identifiers AS
  SELECT * FROM public.post_identifiers WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.post_identifiers_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE assignment_identifiers_history (LIKE assignment_identifiers);--> statement-breakpoint
CREATE INDEX assignment_identifiers_history_period_idx ON assignment_identifiers_history USING gist (sys_period);--> statement-breakpoint
CREATE INDEX assignment_identifiers_history_assignment_idx ON assignment_identifiers_history (assignment_id);--> statement-breakpoint
CREATE TRIGGER assignment_identifiers_version BEFORE UPDATE ON assignment_identifiers
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER assignment_identifiers_version_delete AFTER DELETE ON assignment_identifiers
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.assignment_identifiers AS
  SELECT * FROM public.assignment_identifiers WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.assignment_identifiers_history WHERE sys_period @> rb_as_of();
