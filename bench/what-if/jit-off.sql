-- What if: no JIT compilation for this database (new connections). The as-of reads join UNION
-- ALL views whose row estimates explode (the join with asof.people no longer knows people.id is
-- unique), their estimated cost passes jit_above_cost (100000) and the query spends ~300 ms
-- compiling for a few milliseconds of work. In the service itself: `connection: { jit: 'off' }`
-- in openPostgres(), or ALTER DATABASE … SET jit = off.
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET jit = off', current_database()); END $$;
