-- Saha's PostgreSQL schema, version 2: the record projection. One row per record
-- document, written in the transaction that stores the record's change, so the REST
-- API lists records without loading documents, and analysts can query them:
--   SELECT title, data->'fields'->>'tax_id' FROM records
--   WHERE workspace = '…' AND kind = 'account' AND deleted_at IS NULL;
-- `data` is the typed record as JSON (the same form the app's read model keeps).
CREATE TABLE records (
    id text COLLATE "C" PRIMARY KEY,
    workspace text NOT NULL,
    kind text NOT NULL,
    team text NOT NULL,
    owner text NOT NULL,
    title text NOT NULL,
    -- The folded title (Turkish-aware lower case) lists sort by, bytewise.
    title_key text COLLATE "C" NOT NULL,
    -- Folded words free-text search matches.
    search text NOT NULL,
    status text NOT NULL,
    account text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    archived_at bigint NOT NULL,
    deleted_at bigint NOT NULL,
    data jsonb NOT NULL
);
CREATE INDEX records_by_title ON records (workspace, kind, title_key, id);
CREATE INDEX records_by_created ON records (workspace, kind, created_at, id);
CREATE INDEX records_by_updated ON records (workspace, kind, updated_at, id);
