-- Dedup provenance of a node: how many transcript lines and files were merged into its calls.
SELECT count(*)::BIGINT AS calls,
       coalesce(sum(merged_lines), 0)::BIGINT AS lines,
       count(*) FILTER (WHERE merged_lines > 1)::BIGINT AS merged_calls,
       count(*) FILTER (WHERE len(file_ids) > 1)::BIGINT AS multi_file_calls,
       count(*) FILTER (WHERE is_sidechain)::BIGINT AS sidechain_calls
FROM node_calls
