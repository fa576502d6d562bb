-- The invariants of DESIGN.md §3 that concern valid time, enforced by the database itself so that
-- no client, import or concurrent writer can break them. Friendly checks in triggers name the
-- conflicting record (SQLSTATE RB409, DETAIL = JSON); exclusion constraints stand behind them.

-- A partial date as the API writes it.
CREATE OR REPLACE FUNCTION rb_partial_text(day date, period date_precision) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT CASE period
    WHEN 'year' THEN to_char(day, 'YYYY')
    WHEN 'month' THEN to_char(day, 'YYYY-MM')
    ELSE to_char(day, 'YYYY-MM-DD')
  END
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION rb_assignment_json(a assignments) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'entity', 'assignment', 'id', a.id, 'personId', a.person_id, 'organisationId', a.organisation_id,
    'postId', a.post_id, 'role', a.role,
    'startDate', rb_partial_text(a.start_date, a.start_precision),
    'endDate', rb_partial_text(a.end_date, a.end_precision))
$$;--> statement-breakpoint

CREATE OR REPLACE FUNCTION rb_conflict(message text, constraint_name text, conflicting jsonb) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'RB409', MESSAGE = message, CONSTRAINT = constraint_name,
    DETAIL = jsonb_build_object('conflicting', conflicting)::text;
END
$$;--> statement-breakpoint

-- Assignments: one holder per single-holder post and day, at most max_holders on any day, never
-- the same post twice for one person on one day, and only while the organisation exists.
CREATE OR REPLACE FUNCTION rb_assignment_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  span daterange := rb_certain_span(NEW.start_date, NEW.start_precision, NEW.end_date, NEW.end_precision);
  post_max integer;
  org organisations;
  clash assignments;
  clashes jsonb;
  busiest integer;
BEGIN
  -- The organisation's row is read under a share lock, so that a concurrent change of its
  -- founding or dissolution waits for this write (and is checked against it afterwards).
  SELECT * INTO org FROM organisations WHERE id = NEW.organisation_id FOR SHARE;
  IF FOUND THEN
    IF org.founding_date IS NOT NULL AND NEW.start_date IS NOT NULL
       AND rb_period_end(NEW.start_date, NEW.start_precision::text) < org.founding_date THEN
      PERFORM rb_conflict(format('The assignment starts before %s was founded (%s).', org.name,
        rb_partial_text(org.founding_date, org.founding_precision)), 'assignments_within_organisation',
        jsonb_build_object('entity', 'organisation', 'id', org.id, 'name', org.name,
          'foundingDate', rb_partial_text(org.founding_date, org.founding_precision),
          'dissolutionDate', rb_partial_text(org.dissolution_date, org.dissolution_precision)));
    END IF;
    IF org.dissolution_date IS NOT NULL AND (NEW.end_date IS NULL
       OR NEW.end_date > rb_period_end(org.dissolution_date, org.dissolution_precision::text)) THEN
      PERFORM rb_conflict(format('The assignment lasts beyond the dissolution of %s (%s); it needs an end on or before that day.',
        org.name, rb_partial_text(org.dissolution_date, org.dissolution_precision)), 'assignments_within_organisation',
        jsonb_build_object('entity', 'organisation', 'id', org.id, 'name', org.name,
          'foundingDate', rb_partial_text(org.founding_date, org.founding_precision),
          'dissolutionDate', rb_partial_text(org.dissolution_date, org.dissolution_precision)));
    END IF;
  END IF;

  NEW.exclusive_post_id := NULL;
  IF NEW.post_id IS NULL THEN
    RETURN NEW;
  END IF;
  -- Writers into one post take turns: after this lock every committed holder is visible.
  SELECT max_holders INTO post_max FROM posts
   WHERE id = NEW.post_id AND organisation_id = NEW.organisation_id FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN NEW; -- no such post in this organisation: refused by assignments_post_in_organisation_fk
  END IF;
  IF post_max = 1 THEN
    NEW.exclusive_post_id := NEW.post_id;
  END IF;

  SELECT * INTO clash FROM assignments a
   WHERE a.person_id = NEW.person_id AND a.post_id = NEW.post_id AND a.id <> NEW.id
     AND a.certain_span && span
   ORDER BY a.start_date NULLS FIRST LIMIT 1;
  IF FOUND THEN
    PERFORM rb_conflict('The person already holds this post on some of these days.',
      'assignments_same_post_once', rb_assignment_json(clash));
  END IF;

  IF post_max IS NULL OR isempty(span) THEN
    RETURN NEW;
  END IF;
  -- The most holders on one day of the span: the count peaks where some holding begins.
  WITH others AS (
    SELECT a.*, a.certain_span * span AS shared FROM assignments a
     WHERE a.post_id = NEW.post_id AND a.id <> NEW.id AND a.certain_span && span
  ), peaks AS (
    SELECT (SELECT count(*) FROM others o WHERE o.shared @> d) AS holders
      FROM (SELECT coalesce(lower(shared), '-infinity'::date) AS d FROM others
            UNION SELECT coalesce(lower(span), '-infinity'::date)) starts
  )
  SELECT max(holders) INTO busiest FROM peaks;
  IF busiest + 1 > post_max THEN
    SELECT jsonb_agg(rb_assignment_json(o) ORDER BY o.start_date NULLS FIRST) INTO clashes
      FROM assignments o
     WHERE o.post_id = NEW.post_id AND o.id <> NEW.id AND o.certain_span && span;
    PERFORM rb_conflict(format('The post takes at most %s holder(s) on one day; on some of these days it is taken.', post_max),
      'assignments_max_holders', CASE WHEN post_max = 1 THEN clashes->0 ELSE clashes END);
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER assignments_guard BEFORE INSERT OR UPDATE ON assignments
  FOR EACH ROW EXECUTE FUNCTION rb_assignment_guard();--> statement-breakpoint

ALTER TABLE assignments ADD CONSTRAINT assignments_one_holder_excl
  EXCLUDE USING gist (exclusive_post_id WITH =, certain_span WITH &&);--> statement-breakpoint
-- post_id first: the guard's holder count and a post's succession filter by post alone.
ALTER TABLE assignments ADD CONSTRAINT assignments_same_post_once_excl
  EXCLUDE USING gist (post_id WITH =, person_id WITH =, certain_span WITH &&) WHERE (post_id IS NOT NULL);--> statement-breakpoint

-- A post's capacity changes: its assignments are checked again (the update runs the guard above).
CREATE OR REPLACE FUNCTION rb_post_capacity_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE assignments SET post_id = post_id WHERE post_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER posts_capacity_changed AFTER UPDATE OF max_holders ON posts
  FOR EACH ROW WHEN (OLD.max_holders IS DISTINCT FROM NEW.max_holders)
  EXECUTE FUNCTION rb_post_capacity_changed();--> statement-breakpoint

-- An organisation's founding or dissolution moves: its assignments must still lie within it.
CREATE OR REPLACE FUNCTION rb_organisation_existence_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE assignments SET organisation_id = organisation_id WHERE organisation_id = NEW.id;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER organisations_existence_changed AFTER UPDATE OF founding_date, founding_precision, dissolution_date, dissolution_precision ON organisations
  FOR EACH ROW WHEN (OLD.founding_date IS DISTINCT FROM NEW.founding_date
    OR OLD.founding_precision IS DISTINCT FROM NEW.founding_precision
    OR OLD.dissolution_date IS DISTINCT FROM NEW.dissolution_date
    OR OLD.dissolution_precision IS DISTINCT FROM NEW.dissolution_precision)
  EXECUTE FUNCTION rb_organisation_existence_changed();--> statement-breakpoint

-- Parent links: one parent per organisation and day, and no cycle on any day.
CREATE OR REPLACE FUNCTION rb_parent_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  certain daterange := rb_certain_span(NEW.start_date, NEW.start_precision, NEW.end_date, NEW.end_precision);
  possible daterange := rb_possible_span(NEW.start_date, NEW.start_precision, NEW.end_date, NEW.end_precision);
  clash organisation_parents;
  cycle_span daterange;
BEGIN
  IF NEW.parent_id = NEW.organisation_id THEN
    RETURN NEW; -- refused by the check organisation_parents_not_self
  END IF;
  -- Changes of the hierarchy take turns, so that two links made at once cannot close a cycle.
  PERFORM pg_advisory_xact_lock(1383034982);

  SELECT * INTO clash FROM organisation_parents p
   WHERE p.organisation_id = NEW.organisation_id AND p.id <> NEW.id AND p.certain_span && certain
   LIMIT 1;
  IF FOUND THEN
    PERFORM rb_conflict('The organisation already has a parent on some of these days.',
      'organisation_parents_one_parent', jsonb_build_object('entity', 'organisationParent',
        'organisationId', clash.organisation_id, 'parentId', clash.parent_id,
        'startDate', rb_partial_text(clash.start_date, clash.start_precision),
        'endDate', rb_partial_text(clash.end_date, clash.end_precision)));
  END IF;

  -- Walk up from the new parent over links that share days with the new link.
  WITH RECURSIVE up(organisation_id, span, depth) AS (
    SELECT NEW.parent_id, possible, 0
    UNION ALL
    SELECT p.parent_id, up.span * p.possible_span, up.depth + 1
      FROM up JOIN organisation_parents p
        ON p.organisation_id = up.organisation_id AND p.id <> NEW.id AND p.possible_span && up.span
     WHERE up.depth < 200
  )
  SELECT span INTO cycle_span FROM up WHERE organisation_id = NEW.organisation_id LIMIT 1;
  IF FOUND THEN
    PERFORM rb_conflict(format('This parent link would make the organisation its own ancestor during %s.', cycle_span),
      'organisation_parents_no_cycle', jsonb_build_object('entity', 'organisation', 'id', NEW.parent_id));
  END IF;
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER organisation_parents_guard BEFORE INSERT OR UPDATE ON organisation_parents
  FOR EACH ROW EXECUTE FUNCTION rb_parent_guard();--> statement-breakpoint

ALTER TABLE organisation_parents ADD CONSTRAINT organisation_parents_one_parent_excl
  EXCLUDE USING gist (organisation_id WITH =, certain_span WITH &&);
