-- Extensions the schema relies on: btree_gist for exclusion constraints over (id, daterange),
-- pg_trgm and unaccent for German-aware, typo-tolerant search.
CREATE EXTENSION IF NOT EXISTS btree_gist;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;--> statement-breakpoint
-- The last day of the period a partial date names: 2016 -> 2016-12-31, 2016-02 -> 2016-02-29.
-- IMMUTABLE so that check constraints, indexes and exclusion constraints may use it; not STRICT,
-- so that PostgreSQL can inline it (NULL in gives NULL out all the same).
CREATE OR REPLACE FUNCTION rb_period_end(first_day date, period text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN period = 'year' THEN (date_trunc('year', first_day::timestamp) + interval '1 year - 1 day')::date
    WHEN period = 'month' THEN (date_trunc('month', first_day::timestamp) + interval '1 month - 1 day')::date
    WHEN period IS NOT NULL THEN first_day
  END
$$;
