-- Sessions of an OpenCode database: their parent (subagent sessions) and directory. Columns
-- missing from an older or newer schema are replaced by NULL by the reader.
SELECT id, ${parent_id} AS parent_id, ${directory} AS directory FROM ${table}
