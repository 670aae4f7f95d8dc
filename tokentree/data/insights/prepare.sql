-- Per-turn facts for the insights (docs/attribution.md), built once per data version after the
-- attribution tables (sql/activity.sql) and whatif_rates. Every table is keyed by turn (week,
-- day, session_id, turn_id): a scope (week, day or session) takes whole turns, and the window
-- partitions below (day and session) are whole within any scope, so the per-scope queries
-- (sql/insights_nodes.sql …) only filter and roll these up. Independent of
-- sql/insights_prepare_rebuilds.sql and sql/insights_prepare_reads.sql (they run alongside).
-- ${rebuild_min} and ${money} (see tokentree.data.activity_build.money_type) are substituted by
-- the code. Every table is per session: ${calls} and the other tables read are the whole
-- tables for a full build and some sessions' rows for a delta (tokentree.data.delta).
-- Statements end with ";" + newline.

-- One row per turn: sums (subagent calls: off the main thread; cache rebuilds as in
-- sql/insights_prepare_rebuilds.sql), the main thread's context, the split saving before the
-- turn and, as lists unpacked by the statements below, its subagent use and model what-ifs.
-- The priced calls are joined once (a CTE: cheaper than a table).
--   split:      history = min(previous main prompt, this prompt) - baseline (baseline = the
--               first main call's prompt of the (day, session): system prompt, tools, first
--               message); saving = history x (sum of the cache-read rates of this and the later
--               main calls up to the next context reset) - baseline x (write rate - read rate)
--               (re-priming a new session's cache). Main calls are in their thread's order
--               (pos: ts, then call_id).
CREATE OR REPLACE TABLE ${insight_turns_new} AS
WITH priced_calls AS MATERIALIZED (  -- what only some parts need is NULL elsewhere
    SELECT p.week, p.day, c.session_id, t.turn_id, t.turn_start, f.is_main, f.seg, f.pos,
           f.prompt, f.prev_prompt, c.input, c.output, c.cache_read, c.cache_write,
           CAST(k.cost AS ${money}) AS cost, CAST(k.ctx_cost AS ${money}) AS ctx_cost,
           k.r_read, k.r_write,
           CASE WHEN c.cache_write >= ${rebuild_min} AND c.cache_write * 2 >= f.prompt
                     AND f.gap_s > f.ttl_s
                THEN CAST(k.cw_cost AS ${money}) END AS rebuild_cost,
           CASE WHEN c.cache_write >= ${rebuild_min} AND c.cache_write * 2 >= f.prompt
                     AND f.gap_s > f.ttl_s
                THEN CAST(k.cw_cost - k.cw_as_read AS ${money}) END AS rebuild_extra,
           k.cost > 0 AND k.out_cost * 3 >= k.cost AS is_heavy,
           CASE WHEN NOT f.is_main THEN f.thread END AS thread,
           CASE WHEN NOT f.is_main THEN c.agent_id END AS agent_id,
           CASE WHEN NOT f.is_main OR (k.cost > 0 AND k.out_cost * 3 >= k.cost) THEN c.model END
               AS model,
           CASE WHEN k.cost > 0 AND k.out_cost * 3 >= k.cost THEN c.cache_write_5m END
               AS cache_write_5m,
           CASE WHEN k.cost > 0 AND k.out_cost * 3 >= k.cost THEN c.cache_write_1h END
               AS cache_write_1h
    FROM ${calls} c
    JOIN ${priced} p USING (cid)
    JOIN ${call_turns} t USING (cid)
    JOIN ${call_flow} f USING (cid)
    JOIN ${call_cost_parts} k USING (cid)
),
main AS (
    SELECT day, session_id, turn_id, pos, prompt, prev_prompt, r_read, r_write,
           sum(r_read) OVER w AS rate_suffix, count(*) OVER w AS calls_suffix
    FROM priced_calls
    WHERE is_main
    WINDOW w AS (PARTITION BY day, session_id, seg ORDER BY pos DESC
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
main_turn AS (
    SELECT day, session_id, turn_id, count(*) AS main_calls, min(pos) AS first_pos,
           arg_min(prompt, pos) AS p_start, arg_max(prompt, pos) AS p_end, max(prompt) AS p_max,
           arg_min({'prompt': prompt, 'prev_prompt': prev_prompt, 'rate_suffix': rate_suffix,
                    'calls_suffix': calls_suffix, 'reprime': greatest(r_write - r_read, 0)},
                   pos) AS first
    FROM main
    GROUP BY ALL
),
sessions AS (
    SELECT day, session_id, arg_min(p_start, first_pos) AS baseline, min(first_pos) AS first_pos
    FROM main_turn
    GROUP BY ALL
),
starts AS (
    SELECT m.day, m.session_id, m.turn_id, m.main_calls, m.p_start, m.p_end, m.p_max,
           m.first_pos > s.first_pos AS later,
           greatest(least(coalesce(m.first.prev_prompt, 0), m.first.prompt) - s.baseline, 0)
               AS history,
           m.first.rate_suffix AS rate_suffix, m.first.calls_suffix AS calls_suffix,
           s.baseline, m.first.reprime AS reprime_rate
    FROM main_turn m
    JOIN sessions s USING (day, session_id)
),
turn AS (
    SELECT week, day, session_id, turn_id, min(turn_start) AS turn_start, count(*) AS calls,
           sum(input)::BIGINT AS input, sum(output)::BIGINT AS output,
           sum(cache_read)::BIGINT AS cache_read, sum(cache_write)::BIGINT AS cache_write,
           sum(cost)::HUGEINT AS cost, sum(ctx_cost)::HUGEINT AS ctx_cost,
           count(*) FILTER (WHERE NOT is_main) AS sub_calls,
           coalesce(sum(input + output + cache_read + cache_write) FILTER (WHERE NOT is_main), 0)
               ::BIGINT AS sub_tokens,
           coalesce(sum(cost) FILTER (WHERE NOT is_main), 0)::HUGEINT AS sub_cost,
           count(rebuild_cost) AS rebuilds,
           coalesce(sum(cache_write) FILTER (WHERE rebuild_cost IS NOT NULL), 0)::BIGINT
               AS rebuild_tokens,
           coalesce(sum(rebuild_cost), 0)::HUGEINT AS rebuild_cost,
           coalesce(sum(rebuild_extra), 0)::HUGEINT AS rebuild_extra
    FROM priced_calls
    GROUP BY ALL
),
types AS (
    SELECT session_id, agent_id, any_value(agent_type) AS agent_type
    FROM ${raw_agents}
    GROUP BY ALL
),
agent_rows AS (  -- subagent calls by thread, agent type and model (see insight_agents)
    SELECT c.week, c.day, c.session_id, c.turn_id, c.thread,
           coalesce(CASE WHEN c.thread LIKE 'acompact%' THEN 'compaction' END, ty.agent_type,
                    'untyped') AS agent_type,
           coalesce(c.model, '?') AS model, count(*) AS calls,
           sum(c.input + c.output + c.cache_read + c.cache_write)::BIGINT AS tokens,
           sum(c.cost)::HUGEINT AS cost
    FROM priced_calls c
    LEFT JOIN types ty ON ty.session_id = c.session_id AND ty.agent_id = c.agent_id
    WHERE NOT c.is_main
    GROUP BY ALL
),
agents AS (
    SELECT week, day, session_id, turn_id,
           list({'thread': thread, 'agent_type': agent_type, 'model': model, 'calls': calls,
                 'tokens': tokens, 'cost': cost}) AS agents
    FROM agent_rows
    GROUP BY ALL
),
model_rows AS (  -- the what-if of output-heavy calls (see insight_models)
    SELECT c.week, c.day, c.session_id, c.turn_id, c.model, w.alt, count(*) AS calls,
           sum(c.output)::BIGINT AS output, sum(c.cost)::HUGEINT AS cost,
           sum(call_cost_pusd(c.input, c.output, c.cache_read, c.cache_write_5m,
                              c.cache_write_1h, 'standard', w.in_r, w.out_r, w.cw5_r, w.cw1_r,
                              w.cr_r, w.lc_in_r, w.lc_out_r, w.lc_cw5_r, w.lc_cw1_r, w.lc_cr_r,
                              w.threshold, w.fast_mult, w.per_type))::HUGEINT AS alt_cost
    FROM priced_calls c
    JOIN whatif_rates w ON w.model = c.model
    WHERE c.is_heavy
    GROUP BY ALL
),
what_ifs AS (
    SELECT week, day, session_id, turn_id,
           list({'model': model, 'alt': alt, 'calls': calls, 'output': output, 'cost': cost,
                 'alt_cost': alt_cost}) AS models
    FROM model_rows
    GROUP BY ALL
),
numbered AS (
    SELECT *,
           dense_rank() OVER (PARTITION BY day, session_id ORDER BY turn_start, turn_id)
               AS turn_no
    FROM turn
)
SELECT t.week, t.day, t.session_id, t.turn_id, t.turn_no, t.turn_start, pr.text, pr.kind,
       t.calls, t.input, t.output, t.cache_read, t.cache_write, t.cost, t.ctx_cost,
       t.sub_calls, t.sub_tokens, t.sub_cost, t.rebuilds, t.rebuild_tokens, t.rebuild_cost,
       t.rebuild_extra,
       coalesce(st.main_calls, 0) AS main_calls, st.p_start, st.p_end, st.p_max,
       coalesce(st.history, 0) AS history, coalesce(st.calls_suffix, 0) AS later_calls,
       CASE WHEN st.later AND st.history > 0
            THEN round(st.history * st.rate_suffix - st.baseline * st.reprime_rate)::HUGEINT
       END AS split_saving,
       a.agents, m.models
FROM numbered t
LEFT JOIN starts st USING (day, session_id, turn_id)
LEFT JOIN agents a USING (week, day, session_id, turn_id)
LEFT JOIN what_ifs m USING (week, day, session_id, turn_id)
LEFT JOIN ${prompts} pr ON pr.uuid = t.turn_id;

-- Subagent calls per turn, thread, agent type and model (a thread counts once per node): calls
-- off the main thread. Types come from the agents' sidecar files; the /compact summariser is
-- "compaction"; agents without a sidecar and older sidechains without an agent id are "untyped".
CREATE OR REPLACE TABLE insight_agents AS
SELECT week, day, session_id, turn_id, a.thread, a.agent_type, a.model, a.calls, a.tokens,
       a.cost
FROM (SELECT week, day, session_id, turn_id, unnest(agents) AS a FROM ${insight_turns_new});

-- What-if at list prices per turn and (model, alternative): output-heavy calls (output at
-- least a third of the call's cost) on the premium models of whatif_rates, repriced at their
-- alternative's rates (standard speed).
CREATE OR REPLACE TABLE insight_models AS
SELECT week, day, session_id, turn_id, m.model, m.alt, m.calls, m.output, m.cost, m.alt_cost
FROM (SELECT week, day, session_id, turn_id, unnest(models) AS m FROM ${insight_turns_new});

-- The turns without the lists unpacked above.
CREATE OR REPLACE TABLE insight_turns AS
SELECT * EXCLUDE (agents, models) FROM ${insight_turns_new};

DROP TABLE ${insight_turns_new};
