/**
 * The todos, their profile, and what lists need to stay fast at a million rows.
 * Text is compared through two ICU collations created here, so answers match the memory store's
 * JavaScript whatever locale the database itself was created with (RDS's may differ from ours).
 */
export default /* sql */ `
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Name order as Intl.Collator('zh-CN', { numeric: true }) sorts: pinyin, numbers by value.
-- Not deterministic, so names the collator finds equal tie and the key decides, as in memory.
CREATE COLLATION todo_name_order (provider = icu, locale = 'zh-u-kn-true', deterministic = false);
-- Lower-casing as JavaScript's toLowerCase does: ICU's root locale, not the database's ctype.
CREATE COLLATION todo_case_fold (provider = icu, locale = 'und');

CREATE TABLE todos (
  -- Identity, never reset: a key is not handed out twice, across instances and restarts.
  key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name text NOT NULL,
  "desc" text NOT NULL,
  status smallint NOT NULL CHECK (status BETWEEN 0 AND 3),
  owner text NOT NULL,
  href text NOT NULL,
  avatar text NOT NULL,
  -- JavaScript numbers, so any value the app accepts comes back exactly.
  call_no double precision NOT NULL,
  progress double precision NOT NULL,
  disabled boolean NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Every sortable field, with the key as tie-breaker (the default order, key, is the primary key).
CREATE INDEX todos_by_name ON todos ((name COLLATE todo_name_order), key);
CREATE INDEX todos_by_status ON todos (status, key);
CREATE INDEX todos_by_call_no ON todos (call_no, key);
CREATE INDEX todos_by_progress ON todos (progress, key);
CREATE INDEX todos_by_created_at ON todos (created_at, key);
CREATE INDEX todos_by_updated_at ON todos (updated_at, key);
-- The case-insensitive substring filters (LIKE '%text%' on the lower-cased text).
CREATE INDEX todos_name_search ON todos USING gin (lower(name COLLATE todo_case_fold) gin_trgm_ops);
CREATE INDEX todos_desc_search ON todos USING gin (lower("desc" COLLATE todo_case_fold) gin_trgm_ops);

-- count(*) of a million rows costs tens of milliseconds on every unfiltered page; the row count
-- is kept instead, in 16 slots so concurrent writers rarely wait for each other. A connection
-- always writes the same slot, so a transaction never locks two and two cannot deadlock.
CREATE TABLE todo_counts (slot smallint PRIMARY KEY, n bigint NOT NULL);
INSERT INTO todo_counts SELECT slot, 0 FROM generate_series(0, 15) AS slot;

CREATE FUNCTION todo_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE todo_counts SET n = n + (SELECT count(*) FROM changed) WHERE slot = pg_backend_pid() % 16;
  RETURN NULL;
END $$;
CREATE FUNCTION todo_counts_subtract() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE todo_counts SET n = n - (SELECT count(*) FROM changed) WHERE slot = pg_backend_pid() % 16;
  RETURN NULL;
END $$;
CREATE FUNCTION todo_counts_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE todo_counts SET n = 0;
  RETURN NULL;
END $$;
CREATE TRIGGER todos_counted_insert AFTER INSERT ON todos REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION todo_counts_add();
CREATE TRIGGER todos_counted_delete AFTER DELETE ON todos REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION todo_counts_subtract();
CREATE TRIGGER todos_counted_truncate AFTER TRUNCATE ON todos
  FOR EACH STATEMENT EXECUTE FUNCTION todo_counts_reset();

-- The current user's profile: one row. json, not jsonb, keeps its fields in their order.
CREATE TABLE profile (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  data json NOT NULL
);
`;
