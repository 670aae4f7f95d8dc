-- The archived files whose raw rows the store holds (tokentree.data.archive): their logs are
-- gone, their rows stay. last_seen: when tokentree last saw the file on disk.
CREATE TABLE IF NOT EXISTS archived_files (
    file_id UBIGINT, source VARCHAR, path VARCHAR, last_seen TIMESTAMPTZ
);
