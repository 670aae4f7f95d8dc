-- A segment's list of files (tokentree.data.history.archive): where each was, its size and
-- modification time, when it was last seen (its mtime, or ${seen_us} if later), when it was
-- archived and by which version of the raw tables' meaning (${version}); the files of
-- archive_ids in ${schema}'s manifest.
SELECT file_id, source, path, size, mtime_ns,
       make_timestamp(greatest(mtime_ns // 1000, ${seen_us}))::TIMESTAMPTZ AS last_seen,
       now()::TIMESTAMPTZ AS archived_at, ${version}::INTEGER AS parser_version
FROM ${schema}.files WHERE file_id IN (SELECT file_id FROM archive_ids)
