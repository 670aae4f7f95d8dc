-- Another device's partition rows (the temp relation sync_batch: a partition's columns plus
-- _file_id, _device and _source from its path) into the raw tables, as if read from a log: one
-- raw call each with its key computed here from the origin's parts (the same key its own
-- machine has), one prompt row per turn (no text leaves a machine: a placeholder), and the
-- subagent spawns, so the turns come out as on the origin.
INSERT INTO raw_calls BY NAME
SELECT _file_id AS file_id, _source AS source, coalesce(lines, 1) AS lines,
       native_id AS call_id, dedup_key, request_id, session_id, agent_id,
       coalesce(is_sidechain, false) AS is_sidechain, ts, model,
       input, output, cache_read, cache_write_5m, cache_write_1h, reasoning, speed,
       project, uuid, logged_cost_usd AS cost_usd,
       coalesce(session_total, false) AS session_total,
       list_transform(range(len(coalesce(tools, []))),
                      lambda i: {'id': tool_ids[i + 1], 'name': tools[i + 1], 'detail': NULL::VARCHAR})
           AS tools,
       call_key(_source, dedup_key, origin_file_id, native_id, uuid, ts) AS k,
       _device AS device
FROM sync_batch;
INSERT INTO raw_prompts BY NAME
SELECT DISTINCT _file_id AS file_id, turn_id AS uuid, session_id, turn_ts AS ts,
       ['(prompt on ' || _device || ')'] AS texts
FROM sync_batch WHERE turn_ts IS NOT NULL;
INSERT INTO raw_agents BY NAME
SELECT DISTINCT _file_id AS file_id, session_id, agent_id, agent_type,
       spawn_tool_id AS tool_use_id
FROM sync_batch WHERE spawn_tool_id IS NOT NULL;
