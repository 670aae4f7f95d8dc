-- Every turn of a scope (insight_turns), for the insights of turn nodes (money as ${money}).
SELECT week, day, session_id, turn_id, turn_no, text, calls, input, output, cache_read,
       cache_write, cost::${money}, ctx_cost::${money}, sub_calls, sub_tokens, sub_cost::${money},
       rebuilds, rebuild_tokens, rebuild_cost::${money}, rebuild_extra::${money}, main_calls,
       p_start, p_end, p_max, history, later_calls, split_saving::${money}
FROM insight_turns
WHERE in_node(week, day, session_id, NULL, NULL, $week, $day, $session, NULL, NULL);
