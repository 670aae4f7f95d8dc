-- The rows of one raw table (${table}) of the chosen archived files (${chosen}), read from the
-- segments holding them (${source}: their parquet files): a file's rows come from its chosen
-- segment only, by name (${names}: the columns both have; k is left unset).
INSERT INTO ${schema}.${table} BY NAME
SELECT ${names}
FROM ${source} r
SEMI JOIN ${chosen} c ON c.segment = parse_dirpath(r.filename) AND c.file_id = r.file_id;
