-- Hermes' per-session totals (one row per session; Hermes keeps no per-request usage). Columns
-- an older or newer schema lacks are replaced by NULL by the reader.
SELECT id, ${source} AS source, ${model} AS model, ${parent_session_id} AS parent_session_id,
       ${model_config} AS model_config, ${started_at} AS started_at, ${cwd} AS cwd,
       ${git_repo_root} AS git_repo_root, ${input_tokens} AS input_tokens,
       ${output_tokens} AS output_tokens, ${cache_read_tokens} AS cache_read_tokens,
       ${cache_write_tokens} AS cache_write_tokens, ${reasoning_tokens} AS reasoning_tokens,
       ${estimated_cost_usd} AS estimated_cost_usd, ${actual_cost_usd} AS actual_cost_usd
FROM sessions
