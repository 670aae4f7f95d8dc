-- Rows of one line scan (DuckDB bulk scan or the tolerant Python reader), one per line, untyped.
-- kind: what the line is, in the format's own terms (NULL: any other line, counted only).
-- file_id: identity.file_id(source, path). x: the fields the format extracts for that kind;
-- overflow: tool calls of a line with several; bad: text DuckDB could not parse (re-parsed in
-- Python); broken: a line certainly malformed; ordinal: the line's position in its file (ordered
-- formats only, see source.LineFormat.ordered).
CREATE OR REPLACE TEMP TABLE staging (
    file_id  UBIGINT,
    kind     VARCHAR,
    bytes    BIGINT,
    x        VARCHAR[],
    overflow STRUCT(id VARCHAR, name VARCHAR, detail VARCHAR)[],
    bad      VARCHAR,
    broken   BOOLEAN,
    ordinal  BIGINT
);
