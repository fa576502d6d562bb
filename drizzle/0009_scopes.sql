-- Whether an organisation lies, on a day, within the subtree of one of `roots` (itself included):
-- the scope check of editor keys (DESIGN.md §5), walked upwards over the parent links of that day.
CREATE OR REPLACE FUNCTION rb_within(organisation uuid, roots uuid[], day date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  WITH RECURSIVE up(id, depth) AS (
    SELECT organisation, 0
    UNION
    SELECT p.parent_id, up.depth + 1
      FROM up JOIN organisation_parents p ON p.organisation_id = up.id AND p.possible_span @> day
     WHERE up.depth < 64
  )
  SELECT EXISTS (SELECT 1 FROM up WHERE up.id = ANY(roots))
$$;
