-- Estimated activity attribution (docs/attribution.md). Built by tokentree.data.activity after
-- calls / priced / prompts / call_turns / model_rates, from two small tables it loads first:
--   activity_map(name, detail, cat)  every distinct tool name (detail '') and every distinct
--                                    shell command line (of ${shell_tools}) → category index
-- Category indexes are positions in tokentree.model.activity.CATEGORIES; ${conversation},
-- ${context}, ${delegating} and ${reading} are substituted by the code. Statements end
-- with ";" + newline.

-- Every call's thread, its predecessor in that thread, the categories of its own tool uses
-- (out_cats: what it does) and of the tool results it consumes (in_cats: what entered the
-- context). Over all calls, not only the view's range: the predecessor may be on another day.
-- Ties are broken by call_id (stable across cache paths, unlike cid).
CREATE OR REPLACE TABLE call_flow AS
WITH uses AS (
    -- the join keys are computed first: a CASE inside the join condition defeats the hash join
    SELECT cid, coalesce(t.name, '') AS name,
           CASE WHEN t.name IN (${shell_tools}) THEN coalesce(t.detail, '') ELSE '' END AS detail
    FROM (SELECT cid, unnest(tools) AS t FROM calls WHERE len(tools) > 0)
),
tool_cats AS (
    SELECT u.cid, list_sort(list(DISTINCT m.cat)) AS cats,
           count(*) FILTER (WHERE m.cat = ${reading}) AS n_reading
    FROM uses u
    JOIN activity_map m USING (name, detail)
    GROUP BY u.cid
),
threads AS (
    SELECT c.cid, c.session_id, c.ts, c.call_id,
           coalesce(c.agent_id, CASE WHEN c.is_sidechain THEN '~sidechain' ELSE '' END) AS thread,
           c.agent_id IS NULL AND NOT c.is_sidechain AS is_main,
           c.input + c.cache_read + c.cache_write AS prompt,
           c.cache_write_1h,
           coalesce(tc.cats, [${conversation}::UTINYINT]) AS out_cats,
           coalesce(tc.n_reading, 0) AS n_reading
    FROM calls c
    LEFT JOIN tool_cats tc USING (cid)
),
lagged AS (
    SELECT *,
           lag(cid) OVER w AS prev_cid,
           lag(ts) OVER w AS prev_ts,
           lag(out_cats) OVER w AS prev_cats,
           lag(prompt) OVER w AS prev_prompt,
           lag(cache_write_1h) OVER w AS prev_cw1
    FROM threads
    WINDOW w AS (PARTITION BY session_id, thread ORDER BY ts, call_id, cid)
),
prompted AS (
    SELECT l.*, pr.ts AS prompt_ts
    FROM lagged l
    ASOF LEFT JOIN (SELECT session_id, ts FROM prompts) pr
      ON l.session_id = pr.session_id AND l.ts >= pr.ts
),
flagged AS (
    SELECT *,
           is_main AND prompt_ts IS NOT NULL AND (prev_ts IS NULL OR prompt_ts > prev_ts)
               AS after_prompt,
           coalesce(prev_prompt > 0 AND prompt * 2 < prev_prompt, false) AS reset
    FROM prompted
)
SELECT cid, session_id, thread, is_main, ts, prompt, prev_cid, prev_ts, prev_prompt,
       coalesce(prev_cw1, 0) AS prev_cw1, after_prompt, reset, out_cats, n_reading,
       CASE WHEN after_prompt THEN [${conversation}::UTINYINT]
            WHEN prev_cid IS NULL AND is_main THEN [${conversation}::UTINYINT]
            WHEN prev_cid IS NULL AND thread LIKE 'acompact%' THEN [${context}::UTINYINT]
            WHEN prev_cid IS NULL THEN [${delegating}::UTINYINT]
            ELSE prev_cats END AS in_cats,
       sum(reset::INTEGER) OVER (PARTITION BY session_id, thread ORDER BY ts, call_id, cid)
           AS seg
FROM flagged;

-- Each priced call's exact cost (pUSD) split by token kind in proportion to list prices
-- (same tier rule as call_cost_pusd; scaled to the real cost so fast mode is included):
-- ctx_cost (cache reads), out_cost, cw_cost (cache writes), in_cost (uncached input,
-- the remainder). cw_as_read: what the written tokens would have cost as cache reads.
-- r_read / r_write: effective pUSD per cache-read / 5m-write token (DOUBLE, for estimates).
CREATE OR REPLACE TABLE call_cost_parts AS
WITH base AS (
    SELECT c.cid, coalesce(p.cost_pusd, 0)::HUGEINT AS cost,
           c.input::HUGEINT AS inp, c.output::HUGEINT AS outp, c.cache_read::HUGEINT AS cr,
           c.cache_write_5m::HUGEINT AS cw5, c.cache_write_1h::HUGEINT AS cw1,
           coalesce(r.per_type, false) AS per_type, r.threshold::HUGEINT AS threshold,
           r.lc_in_r IS NOT NULL AND c.input + c.cache_read + c.cache_write > r.threshold AS lc,
           r.in_r, r.out_r, r.cw5_r, r.cw1_r, r.cr_r,
           r.lc_in_r, r.lc_out_r, r.lc_cw5_r, r.lc_cw1_r, r.lc_cr_r
    FROM calls c
    JOIN priced p USING (cid)
    LEFT JOIN model_rates r ON r.model IS NOT DISTINCT FROM c.model
),
raw AS (
    SELECT cid, cost, cr, cw5,
           coalesce(CASE WHEN per_type THEN tt_tiered_pusd(cr, threshold, cr_r, lc_cr_r)
                         WHEN lc THEN cr * lc_cr_r ELSE cr * cr_r END, 0) AS raw_cr,
           coalesce(CASE WHEN per_type THEN tt_tiered_pusd(outp, threshold, out_r, lc_out_r)
                         WHEN lc THEN outp * lc_out_r ELSE outp * out_r END, 0) AS raw_out,
           coalesce(CASE WHEN per_type THEN tt_tiered_pusd(inp, threshold, in_r, lc_in_r)
                         WHEN lc THEN inp * lc_in_r ELSE inp * in_r END, 0) AS raw_in,
           coalesce(CASE WHEN per_type THEN tt_tiered_pusd(cw5, threshold, cw5_r, lc_cw5_r)
                                            + tt_tiered_pusd(cw1, threshold, cw1_r, lc_cw1_r)
                         WHEN lc THEN cw5 * lc_cw5_r + cw1 * lc_cw1_r
                         ELSE cw5 * cw5_r + cw1 * cw1_r END, 0) AS raw_cw,
           coalesce(CASE WHEN per_type THEN tt_tiered_pusd(cw5 + cw1, threshold, cr_r, lc_cr_r)
                         WHEN lc THEN (cw5 + cw1) * lc_cr_r ELSE (cw5 + cw1) * cr_r END, 0)
               AS raw_cw_read,
           coalesce(CASE WHEN lc THEN lc_cr_r ELSE cr_r END, 0) AS rate_read,
           coalesce(CASE WHEN lc THEN lc_cw5_r ELSE cw5_r END, 0) AS rate_write
    FROM base
),
totals AS (
    SELECT *, raw_cr + raw_out + raw_in + raw_cw AS raw_total FROM raw
),
split AS (
    SELECT cid, cost, raw_total, rate_read, rate_write,
           CASE WHEN raw_total > 0 THEN cost * raw_cr // raw_total ELSE 0 END AS ctx_cost,
           CASE WHEN raw_total > 0 THEN cost * raw_out // raw_total ELSE 0 END AS out_cost,
           CASE WHEN raw_total > 0 THEN cost * raw_cw // raw_total ELSE 0 END AS cw_cost,
           CASE WHEN raw_total > 0 THEN cost * raw_cw_read // raw_total ELSE 0 END AS cw_as_read
    FROM totals
)
SELECT cid, cost::HUGEINT AS cost, ctx_cost::HUGEINT AS ctx_cost,
       out_cost::HUGEINT AS out_cost, cw_cost::HUGEINT AS cw_cost,
       (cost - ctx_cost - out_cost - cw_cost)::HUGEINT AS in_cost,
       least(cw_as_read, cw_cost)::HUGEINT AS cw_as_read,
       CASE WHEN raw_total > 0 THEN rate_read * (cost / raw_total)::DOUBLE ELSE 0 END AS r_read,
       CASE WHEN raw_total > 0 THEN rate_write * (cost / raw_total)::DOUBLE ELSE 0 END AS r_write
FROM split;

-- The attribution: per priced call and category (index), side 0 = cache reads (context),
-- 1 = output (its own tools), 2 = uncached input + cache writes (the tools it consumes).
-- Each side's tokens and cost are split evenly over its categories in index order, the
-- first (n mod k) categories getting one more unit: the rows of a call sum exactly to it.
-- cost_units splits the call's exported cost (priced.cost_units, 2^-30 USD) over the rows in
-- proportion to their pUSD by largest remainders, so a node's categories add up exactly to
-- the cost_usd the export shows for it.
CREATE OR REPLACE TABLE call_activity AS
WITH base AS (
    SELECT f.cid, f.out_cats, f.in_cats, c.cache_read, c.output,
           c.input + c.cache_write AS in_tokens,
           k.ctx_cost, k.out_cost, k.cost - k.ctx_cost - k.out_cost AS in_cost
    FROM call_cost_parts k
    JOIN call_flow f USING (cid)
    JOIN calls c USING (cid)
),
out_side AS (
    SELECT cid, output, out_cost, len(out_cats) AS k,
           unnest(out_cats) AS cat, generate_subscripts(out_cats, 1) AS i
    FROM base
),
in_side AS (
    SELECT cid, in_tokens, in_cost, len(in_cats) AS k,
           unnest(in_cats) AS cat, generate_subscripts(in_cats, 1) AS i
    FROM base
),
parts AS (
    SELECT cid, ${context}::UTINYINT AS cat, 0::UTINYINT AS side,
           cache_read::BIGINT AS tokens, ctx_cost::HUGEINT AS cost_pusd
    FROM base
    UNION ALL
    SELECT cid, cat, 1::UTINYINT,
           (output // k + (i <= output % k)::BIGINT)::BIGINT,
           (out_cost // k + (i <= out_cost % k)::INTEGER)::HUGEINT
    FROM out_side
    UNION ALL
    SELECT cid, cat, 2::UTINYINT,
           (in_tokens // k + (i <= in_tokens % k)::BIGINT)::BIGINT,
           (in_cost // k + (i <= in_cost % k)::INTEGER)::HUGEINT
    FROM in_side
),
kept AS (
    SELECT k.*, p.cost_units AS units,
           sum(k.cost_pusd) OVER (PARTITION BY k.cid) AS call_pusd
    FROM parts k JOIN priced p USING (cid)
    WHERE k.tokens <> 0 OR k.cost_pusd <> 0
),
floored AS (
    SELECT *,
           CASE WHEN call_pusd > 0 THEN units * cost_pusd // call_pusd ELSE 0 END AS base_units,
           CASE WHEN call_pusd > 0 THEN units * cost_pusd % call_pusd ELSE 0 END AS remainder
    FROM kept
)
SELECT cid, cat, side, tokens, cost_pusd,
       (base_units + CASE WHEN row_number() OVER (PARTITION BY cid ORDER BY remainder DESC, cat, side)
                          <= units - sum(base_units) OVER (PARTITION BY cid) THEN 1 ELSE 0 END
       )::BIGINT AS cost_units
FROM floored;
