-- What a read of the cache ${alias} reports without reading its manifest's rows: its files,
-- skipped lines, files with skipped lines and files ending in an incomplete line.
SELECT count(*), coalesce(sum(skipped), 0), count(*) FILTER (skipped > 0),
       count(*) FILTER (truncated_tail)
FROM ${alias}.files
WHERE coalesce(error, '') = ''
