-- One row of facts per turn of the scope (the whole session is needed even for one turn: a
-- split before a turn saves on the turns after it). Main-thread context per call:
-- prompt = input + cache read + cache write. Split saving before a turn (an estimate):
--   history = min(previous main prompt, this prompt) - baseline  (baseline = the first main
--             call's prompt of the session node: system prompt, tools, first message)
--   saving  = history x (sum of the cache-read rates of this and the later main calls up to the
--             next context reset) - baseline x (write rate - read rate)  (re-priming a new
--             session's cache)
WITH s AS (
    SELECT * FROM tt_scope($week, $day, $session)
),
main AS (
    SELECT day, session_id, turn_id, cid, call_id, ts, prompt, prev_prompt, seg, r_read, r_write,
           first_value(prompt) OVER (PARTITION BY day, session_id ORDER BY ts, call_id)
               AS baseline,
           sum(r_read) OVER (PARTITION BY day, session_id, seg ORDER BY ts DESC, call_id DESC
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rate_suffix,
           count(*) OVER (PARTITION BY day, session_id, seg ORDER BY ts DESC, call_id DESC
                          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS calls_suffix,
           row_number() OVER (PARTITION BY day, session_id, turn_id ORDER BY ts, call_id)
               AS nth_in_turn,
           row_number() OVER (PARTITION BY day, session_id ORDER BY ts, call_id)
               AS nth_in_session
    FROM s
    WHERE is_main
),
starts AS (
    SELECT day, session_id, turn_id, nth_in_session, calls_suffix,
           greatest(least(coalesce(prev_prompt, 0), prompt) - baseline, 0) AS history,
           rate_suffix, baseline, greatest(r_write - r_read, 0) AS reprime_rate
    FROM main
    WHERE nth_in_turn = 1
),
main_turn AS (
    SELECT day, session_id, turn_id, count(*) AS main_calls,
           arg_min(prompt, (ts, call_id)) AS p_start, arg_max(prompt, (ts, call_id)) AS p_end,
           max(prompt) AS p_max
    FROM main
    GROUP BY ALL
),
turn AS (
    SELECT week, day, session_id, turn_id, min(turn_start) AS turn_start, count(*) AS calls,
           sum(input)::BIGINT AS input, sum(output)::BIGINT AS output,
           sum(cache_read)::BIGINT AS cache_read, sum(cache_write)::BIGINT AS cache_write,
           sum(cost)::HUGEINT AS cost, sum(ctx_cost)::HUGEINT AS ctx_cost,
           count(*) FILTER (WHERE NOT is_main) AS sub_calls,
           coalesce(sum(tokens) FILTER (WHERE NOT is_main), 0)::BIGINT AS sub_tokens,
           coalesce(sum(cost) FILTER (WHERE NOT is_main), 0)::HUGEINT AS sub_cost,
           count(*) FILTER (WHERE rebuild) AS rebuilds,
           coalesce(sum(cache_write) FILTER (WHERE rebuild), 0)::BIGINT AS rebuild_tokens,
           coalesce(sum(cw_cost) FILTER (WHERE rebuild), 0)::HUGEINT AS rebuild_cost,
           coalesce(sum(cw_cost - cw_as_read) FILTER (WHERE rebuild), 0)::HUGEINT AS rebuild_extra
    FROM s
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
       t.sub_calls, t.sub_tokens, t.sub_cost,
       t.rebuilds, t.rebuild_tokens, t.rebuild_cost, t.rebuild_extra,
       coalesce(m.main_calls, 0), m.p_start, m.p_end, m.p_max,
       coalesce(st.history, 0), coalesce(st.calls_suffix, 0),
       CASE WHEN st.nth_in_session > 1 AND st.history > 0
            THEN round(st.history * st.rate_suffix - st.baseline * st.reprime_rate)::HUGEINT
       END AS split_saving
FROM numbered t
LEFT JOIN main_turn m USING (day, session_id, turn_id)
LEFT JOIN starts st USING (day, session_id, turn_id)
LEFT JOIN prompts pr ON pr.uuid = t.turn_id
WHERE $turn IS NULL OR t.turn_id = $turn
ORDER BY t.day, t.session_id, t.turn_no;
