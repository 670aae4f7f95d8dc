-- Rows of one scan (DuckDB bulk scan or the tolerant Python reader), one per line, untyped.
-- kind: A assistant, U user, S system, NULL any other line (counted only).
-- file_id: hash(path), the file's identity everywhere in tokentree.
-- x: the fields of claude.FIELDS_BY_KIND[kind]; overflow: tools of a multi-block line.
CREATE OR REPLACE TEMP TABLE staging (
    file_id  UBIGINT,
    kind     VARCHAR,
    bytes    BIGINT,
    x        VARCHAR[],
    overflow STRUCT(id VARCHAR, name VARCHAR, detail VARCHAR)[],
    bad      VARCHAR,
    broken   BOOLEAN
);
