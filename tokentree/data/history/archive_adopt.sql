-- List the files of a segment this process wrote (its manifest, ${manifest}) as archived,
-- replacing any earlier entry of the same file.
DELETE FROM ${archive_table} WHERE file_id IN (SELECT file_id FROM read_parquet('${manifest}'));
INSERT INTO ${archive_table}
SELECT file_id, source, path, last_seen FROM read_parquet('${manifest}');
