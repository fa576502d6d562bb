-- What if: rb_period_end() is not STRICT. A STRICT SQL function whose body is a CASE cannot be
-- inlined, so each call goes through the SQL-function executor: about 8 calls per inserted
-- assignment (generated spans, checks, guard) and one per row wherever a query calls it. Written
-- so that a NULL in either argument still gives NULL (what STRICT did), the planner inlines it.
CREATE OR REPLACE FUNCTION rb_period_end(first_day date, period text) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN period = 'year' THEN (date_trunc('year', first_day::timestamp) + interval '1 year - 1 day')::date
    WHEN period = 'month' THEN (date_trunc('month', first_day::timestamp) + interval '1 month - 1 day')::date
    WHEN period IS NOT NULL THEN first_day
  END
$$;
