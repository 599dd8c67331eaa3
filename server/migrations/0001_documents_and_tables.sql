-- Saha's PostgreSQL schema, version 1: documents as chunks, the catalog with each
-- document's place in its workspace's change feed, and the key-value tables of the
-- directory, tickets, outbox and survey links.

-- Every chunk of every document, in the order written (`id`). Loading a document
-- concatenates its chunks; compaction replaces them with one snapshot.
CREATE TABLE chunks (
    id bigserial PRIMARY KEY,
    doc bytea NOT NULL,
    data bytea NOT NULL
);
CREATE INDEX chunks_by_doc ON chunks (doc, id);

-- The catalog: the workspace a document belongs to (fixed by whoever created it),
-- the kind and scope that decide who sees it, and the change number of its last change.
CREATE TABLE documents (
    id bytea PRIMARY KEY,
    workspace text NOT NULL,
    kind text NOT NULL,
    scope jsonb NOT NULL,
    seq bigint NOT NULL
);
CREATE INDEX documents_change_feed ON documents (workspace, seq);

-- Each workspace's last change number. A writer updates its row in the transaction
-- that stores the change, so the row lock orders commits by change number.
CREATE TABLE workspace_seq (
    workspace text PRIMARY KEY,
    seq bigint NOT NULL
);

-- Key-value tables (see server/src/storage/tables.rs). Keys sort bytewise.
CREATE TABLE kv (
    tbl text NOT NULL,
    key text COLLATE "C" NOT NULL,
    value bytea NOT NULL,
    PRIMARY KEY (tbl, key)
);
