-- Transaction time (DESIGN.md §2, §3). Every versioned table keeps its past versions in
-- <table>_history: an update or delete closes the old version's sys_period at the writing
-- transaction's time and moves it there. The schema `asof` has a view per table that shows the
-- table as it stood at the moment in the setting rolebook.as_of, so that the same queries answer
-- "what did the directory say then" when search_path starts with asof (src/plugins/app/reads.ts).
-- A later migration that adds a column to a versioned table adds it to its history table too
-- (at the end, in the same order) and re-creates the asof view.
CREATE SCHEMA IF NOT EXISTS asof;--> statement-breakpoint
CREATE OR REPLACE FUNCTION rb_as_of() RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT nullif(current_setting('rolebook.as_of', true), '')::timestamptz
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION rb_keep_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  since timestamptz := lower(OLD.sys_period);
  until timestamptz := greatest(now(), since);
  generated text[] := ARRAY['possible_span', 'certain_span', 'sort_name', 'sort_label'];
BEGIN
  -- An erasure (DSGVO Art. 17) rewrites personal data in place and keeps no copy of it.
  IF current_setting('rolebook.erasure', true) = 'on' THEN
    IF TG_OP = 'UPDATE' THEN
      RETURN NEW;
    END IF;
    RETURN OLD;
  END IF;
  -- An update that changes nothing (a re-check of the guards) makes no version. Generated
  -- columns are not computed yet in NEW, so they are left out of the comparison.
  IF TG_OP = 'UPDATE' AND (to_jsonb(NEW) - generated) = (to_jsonb(OLD) - generated) THEN
    RETURN NEW;
  END IF;
  -- A version made and changed again in one transaction was never seen by anyone: no history.
  IF until > since THEN
    OLD.sys_period := tstzrange(since, until);
    EXECUTE format('INSERT INTO %I.%I SELECT ($1).*', TG_TABLE_SCHEMA, TG_TABLE_NAME || '_history') USING OLD;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    NEW.sys_period := tstzrange(until, NULL);
    RETURN NEW;
  END IF;
  RETURN OLD;
END
$$;--> statement-breakpoint
CREATE TABLE people_history (LIKE people);--> statement-breakpoint
CREATE INDEX people_history_period_idx ON people_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER people_version BEFORE UPDATE ON people
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER people_version_delete AFTER DELETE ON people
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.people AS
  SELECT * FROM public.people WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.people_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE person_names_history (LIKE person_names);--> statement-breakpoint
CREATE INDEX person_names_history_period_idx ON person_names_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER person_names_version BEFORE UPDATE ON person_names
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER person_names_version_delete AFTER DELETE ON person_names
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.person_names AS
  SELECT * FROM public.person_names WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.person_names_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE contact_details_history (LIKE contact_details);--> statement-breakpoint
CREATE INDEX contact_details_history_period_idx ON contact_details_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER contact_details_version BEFORE UPDATE ON contact_details
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER contact_details_version_delete AFTER DELETE ON contact_details
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.contact_details AS
  SELECT * FROM public.contact_details WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.contact_details_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE person_links_history (LIKE person_links);--> statement-breakpoint
CREATE INDEX person_links_history_period_idx ON person_links_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER person_links_version BEFORE UPDATE ON person_links
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER person_links_version_delete AFTER DELETE ON person_links
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.person_links AS
  SELECT * FROM public.person_links WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.person_links_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE person_identifiers_history (LIKE person_identifiers);--> statement-breakpoint
CREATE INDEX person_identifiers_history_period_idx ON person_identifiers_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER person_identifiers_version BEFORE UPDATE ON person_identifiers
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER person_identifiers_version_delete AFTER DELETE ON person_identifiers
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.person_identifiers AS
  SELECT * FROM public.person_identifiers WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.person_identifiers_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE organisations_history (LIKE organisations);--> statement-breakpoint
CREATE INDEX organisations_history_period_idx ON organisations_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER organisations_version BEFORE UPDATE ON organisations
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER organisations_version_delete AFTER DELETE ON organisations
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.organisations AS
  SELECT * FROM public.organisations WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.organisations_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE organisation_names_history (LIKE organisation_names);--> statement-breakpoint
CREATE INDEX organisation_names_history_period_idx ON organisation_names_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER organisation_names_version BEFORE UPDATE ON organisation_names
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER organisation_names_version_delete AFTER DELETE ON organisation_names
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.organisation_names AS
  SELECT * FROM public.organisation_names WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.organisation_names_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE organisation_identifiers_history (LIKE organisation_identifiers);--> statement-breakpoint
CREATE INDEX organisation_identifiers_history_period_idx ON organisation_identifiers_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER organisation_identifiers_version BEFORE UPDATE ON organisation_identifiers
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER organisation_identifiers_version_delete AFTER DELETE ON organisation_identifiers
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.organisation_identifiers AS
  SELECT * FROM public.organisation_identifiers WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.organisation_identifiers_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE organisation_parents_history (LIKE organisation_parents);--> statement-breakpoint
CREATE INDEX organisation_parents_history_period_idx ON organisation_parents_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER organisation_parents_version BEFORE UPDATE ON organisation_parents
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER organisation_parents_version_delete AFTER DELETE ON organisation_parents
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.organisation_parents AS
  SELECT * FROM public.organisation_parents WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.organisation_parents_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE posts_history (LIKE posts);--> statement-breakpoint
CREATE INDEX posts_history_period_idx ON posts_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER posts_version BEFORE UPDATE ON posts
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER posts_version_delete AFTER DELETE ON posts
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.posts AS
  SELECT * FROM public.posts WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.posts_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE assignments_history (LIKE assignments);--> statement-breakpoint
CREATE INDEX assignments_history_period_idx ON assignments_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER assignments_version BEFORE UPDATE ON assignments
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER assignments_version_delete AFTER DELETE ON assignments
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.assignments AS
  SELECT * FROM public.assignments WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.assignments_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE transitions_history (LIKE transitions);--> statement-breakpoint
CREATE INDEX transitions_history_period_idx ON transitions_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER transitions_version BEFORE UPDATE ON transitions
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER transitions_version_delete AFTER DELETE ON transitions
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.transitions AS
  SELECT * FROM public.transitions WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.transitions_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE organisation_events_history (LIKE organisation_events);--> statement-breakpoint
CREATE INDEX organisation_events_history_period_idx ON organisation_events_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER organisation_events_version BEFORE UPDATE ON organisation_events
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER organisation_events_version_delete AFTER DELETE ON organisation_events
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.organisation_events AS
  SELECT * FROM public.organisation_events WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.organisation_events_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE TABLE organisation_event_organisations_history (LIKE organisation_event_organisations);--> statement-breakpoint
CREATE INDEX organisation_event_organisations_history_period_idx ON organisation_event_organisations_history USING gist (sys_period);--> statement-breakpoint
CREATE TRIGGER organisation_event_organisations_version BEFORE UPDATE ON organisation_event_organisations
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE TRIGGER organisation_event_organisations_version_delete AFTER DELETE ON organisation_event_organisations
  FOR EACH ROW EXECUTE FUNCTION rb_keep_version();--> statement-breakpoint
CREATE VIEW asof.organisation_event_organisations AS
  SELECT * FROM public.organisation_event_organisations WHERE sys_period @> rb_as_of()
  UNION ALL
  SELECT * FROM public.organisation_event_organisations_history WHERE sys_period @> rb_as_of();--> statement-breakpoint
CREATE INDEX people_history_id_idx ON people_history (id);--> statement-breakpoint
CREATE INDEX organisations_history_id_idx ON organisations_history (id);--> statement-breakpoint
CREATE INDEX posts_history_id_idx ON posts_history (id);--> statement-breakpoint
CREATE INDEX assignments_history_id_idx ON assignments_history (id);--> statement-breakpoint
CREATE INDEX organisation_parents_history_id_idx ON organisation_parents_history (id);--> statement-breakpoint
CREATE INDEX person_names_history_person_idx ON person_names_history (person_id);--> statement-breakpoint
CREATE INDEX contact_details_history_person_idx ON contact_details_history (person_id);--> statement-breakpoint
CREATE INDEX person_links_history_person_idx ON person_links_history (person_id);--> statement-breakpoint
CREATE INDEX person_identifiers_history_person_idx ON person_identifiers_history (person_id);--> statement-breakpoint
CREATE INDEX organisation_names_history_org_idx ON organisation_names_history (organisation_id);--> statement-breakpoint
CREATE INDEX organisation_identifiers_history_org_idx ON organisation_identifiers_history (organisation_id);--> statement-breakpoint
CREATE INDEX organisation_parents_history_org_idx ON organisation_parents_history (organisation_id);--> statement-breakpoint
CREATE INDEX assignments_history_person_idx ON assignments_history (person_id);--> statement-breakpoint
CREATE INDEX assignments_history_organisation_idx ON assignments_history (organisation_id);--> statement-breakpoint

-- The audit log is append-only, whatever the client: updates, deletes and truncation are refused.
-- The one exception is an erasure (DSGVO Art. 17), which may pseudonymise an entry's changes and
-- reason, and must mark it redacted; the hashes stay as they were, so the chain still verifies.
CREATE OR REPLACE FUNCTION rb_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('rolebook.erasure', true) = 'on'
     AND NEW.redacted_at IS NOT NULL
     AND (NEW.seq, NEW.id, NEW.recorded_at, NEW.actor, NEW.request_id, NEW.operation, NEW.payload_hash, NEW.prev_hash, NEW.hash)
         IS NOT DISTINCT FROM
         (OLD.seq, OLD.id, OLD.recorded_at, OLD.actor, OLD.request_id, OLD.operation, OLD.payload_hash, OLD.prev_hash, OLD.hash) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION USING ERRCODE = 'RB403', MESSAGE = format('The audit log is append-only: %s refused.', TG_OP);
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION rb_audit_append_only();--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION rb_audit_append_only();
