-- Estimated activity attribution (docs/attribution.md). Built by tokentree.data.activity_build
-- after calls / priced / prompts / call_turns / model_rates, sql/exact_macros.sql and
-- sql/activity_macros.sql: call_flow and call_cost_parts while the tool uses are classified,
-- then call_tools and call_activity,
-- from two small tables the code loads:
--   activity_map(name, detail, cat)  every distinct tool name (detail '') and every distinct
--                                    shell command line (of ${shell_tools}) → category index
--   activity_bits(mask, cat, i)      every 12-bit category set → its categories, ascending (i)
-- A call's categories are a bit set (bit n = category index n of
-- tokentree.model.activity.CATEGORIES): cheap to carry and to expand again. ${conversation},
-- ${context}, ${delegating}, ${reading} and ${money} are substituted by the code.
-- Every table is per session (a call's thread and predecessor are in its session): ${calls},
-- ${prompts}, ${priced} and the tables built here (${call_flow} …) are the whole tables for a
-- full build, and some sessions' rows for a delta (tokentree.data.delta).
-- Statements end with ";" + newline.

-- Every call's thread and its predecessor in that thread. Over all calls, not only the view's
-- range: the predecessor may be on another day. Ties are broken by call_id (stable across
-- cache paths, unlike cid), then cid. The human prompts ride along in the main thread's
-- ordered stream (before a call at the same instant): a main call right after a prompt row
-- follows a prompt (after_prompt; instead of an ASOF join). It needs no classification, so
-- it is built while the tool uses are classified.
-- pos: the call's place in the thread (prompt rows included); seg: the number of context resets
-- (prompt < half the previous prompt) in the thread up to the call; gap_s: idle seconds since
-- the previous call (0 for the first); ttl_s: the cache TTL then in use (1 h with 1-hour writes).
CREATE OR REPLACE TABLE call_flow AS
WITH events AS (
    SELECT cid, session_id, ts, call_id,
           coalesce(agent_id, CASE WHEN is_sidechain THEN '~sidechain' ELSE '' END) AS thread,
           agent_id IS NULL AND NOT is_sidechain AS is_main,
           input + cache_read + cache_write AS prompt, cache_write_1h
    FROM ${calls}
    UNION ALL
    SELECT NULL, session_id, ts, NULL, '', NULL, NULL, NULL
    FROM ${prompts}
),
lagged AS (
    SELECT *,
           lag(CASE WHEN cid IS NOT NULL
                    THEN {'cid': cid, 'ts': ts, 'prompt': prompt, 'cw1': cache_write_1h}
               END IGNORE NULLS) OVER w AS prev,
           lag(cid IS NULL) OVER w AS after_prompt_row,
           row_number() OVER w AS pos
    FROM events
    WINDOW w AS (PARTITION BY session_id, thread ORDER BY ts, cid IS NOT NULL, call_id, cid)
),
flagged AS MATERIALIZED (
    SELECT cid, session_id, ts, thread, is_main, pos, prompt, prev.cid AS prev_cid,
           prev.ts AS prev_ts, prev.prompt AS prev_prompt,
           is_main AND coalesce(after_prompt_row, false) AS after_prompt,
           CASE WHEN coalesce(prev.cw1, 0) > 0 OR cache_write_1h > 0 THEN 3600 ELSE 300 END
               AS ttl_s,
           coalesce(prev.prompt > 0 AND prompt * 2 < prev.prompt, false) AS reset
    FROM lagged
    WHERE cid IS NOT NULL
),
resets AS (  -- few: a list of positions per thread that has any
    SELECT session_id, thread, list(pos) AS at FROM flagged WHERE reset GROUP BY ALL
)
SELECT f.cid, f.thread, f.is_main, f.pos, f.prompt, f.prev_cid, f.prev_prompt, f.after_prompt,
       CAST(CASE WHEN r.at IS NULL THEN 0 ELSE len(list_filter(r.at, lambda x: x <= f.pos)) END
            AS INTEGER) AS seg,
       f.ttl_s, coalesce(epoch(f.ts - f.prev_ts), 0) AS gap_s
FROM flagged f
LEFT JOIN resets r USING (session_id, thread);

-- Each priced call's exact cost (pUSD) split by token kind in proportion to list prices
-- (same tier rule as call_cost_pusd; scaled to the real cost so fast mode is included):
-- ctx_cost (cache reads), out_cost, cw_cost (cache writes), in_cost (uncached input,
-- the remainder). cw_as_read: what the written tokens would have cost as cache reads.
-- r_read / r_write: effective pUSD per cache-read / 5m-write token (DOUBLE, for estimates).
-- cost * raw // raw_total is just raw when the cost is the list price (no fast multiplier).
CREATE OR REPLACE TABLE call_cost_parts AS
WITH base AS (
    SELECT c.cid, CAST(coalesce(p.cost_pusd, 0) AS HUGEINT) AS cost,
           CAST(c.input AS HUGEINT) AS inp, CAST(c.output AS HUGEINT) AS outp,
           CAST(c.cache_read AS HUGEINT) AS cr, CAST(c.cache_write_5m AS HUGEINT) AS cw5,
           CAST(c.cache_write_1h AS HUGEINT) AS cw1,
           coalesce(r.per_type, false) AS per_type,
           CAST(tier_threshold(c.session_total, r.threshold) AS HUGEINT) AS threshold,
           r.lc_in_r IS NOT NULL
               AND c.input + c.cache_read + c.cache_write > tier_threshold(c.session_total, r.threshold)
               AS lc,
           r.in_r, r.out_r, r.cw5_r, r.cw1_r, r.cr_r,
           r.lc_in_r, r.lc_out_r, r.lc_cw5_r, r.lc_cw1_r, r.lc_cr_r
    FROM ${calls} c
    JOIN ${priced} p USING (cid)
    LEFT JOIN model_rates r ON r.model IS NOT DISTINCT FROM c.model
),
raw AS (
    SELECT cid, cost,
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
           CASE WHEN raw_total <= 0 THEN 0 WHEN cost = raw_total THEN raw_cr
                ELSE tt_muldiv(cost, raw_cr, raw_total) END AS ctx_cost,
           CASE WHEN raw_total <= 0 THEN 0 WHEN cost = raw_total THEN raw_out
                ELSE tt_muldiv(cost, raw_out, raw_total) END AS out_cost,
           CASE WHEN raw_total <= 0 THEN 0 WHEN cost = raw_total THEN raw_cw
                ELSE tt_muldiv(cost, raw_cw, raw_total) END AS cw_cost,
           CASE WHEN raw_total <= 0 THEN 0 WHEN cost = raw_total THEN raw_cw_read
                ELSE tt_muldiv(cost, raw_cw_read, raw_total) END AS cw_as_read
    FROM totals
)
SELECT cid, CAST(cost AS HUGEINT) AS cost, CAST(ctx_cost AS HUGEINT) AS ctx_cost,
       CAST(out_cost AS HUGEINT) AS out_cost, CAST(cw_cost AS HUGEINT) AS cw_cost,
       CAST(cost - ctx_cost - out_cost - cw_cost AS HUGEINT) AS in_cost,
       CAST(least(cw_as_read, cw_cost) AS HUGEINT) AS cw_as_read,
       CASE WHEN raw_total > 0 THEN rate_read * CAST(cost / raw_total AS DOUBLE) ELSE 0 END
           AS r_read,
       CASE WHEN raw_total > 0 THEN rate_write * CAST(cost / raw_total AS DOUBLE) ELSE 0 END
           AS r_write
FROM split;

-- The categories of each call's tool uses (out_mask: what it does; calls without tool use have
-- no row and do conversation) and its number of reading tool uses.
CREATE OR REPLACE TABLE call_tools AS
WITH uses AS (
    -- the join keys are computed first: a CASE inside the join condition defeats the hash join
    SELECT cid, coalesce(t.name, '') AS name,
           CASE WHEN t.name IN (${shell_tools}) THEN coalesce(t.detail, '') ELSE '' END AS detail
    FROM (SELECT cid, unnest(tools) AS t FROM ${calls} WHERE len(tools) > 0)
)
SELECT u.cid, bit_or(CAST(1 AS USMALLINT) << m.cat) AS out_mask,
       count(*) FILTER (WHERE m.cat = ${reading}) AS n_reading
FROM uses u
JOIN activity_map m USING (name, detail)
GROUP BY u.cid;

-- The attribution: per priced call and category (index), side 0 = cache reads (context),
-- 1 = output (its own tools), 2 = uncached input + cache writes (the tools it consumes).
-- Each side's tokens and cost are split evenly over its categories in index order, the
-- first (n mod k) categories getting one more unit: the rows of a call sum exactly to it.
-- cost_units splits the call's exported cost (priced.cost_units, 2^-30 USD) over the rows in
-- proportion to their pUSD by largest remainders, so a node's categories add up exactly to
-- the cost_usd the export shows for it: each row gets units * pUSD // call pUSD, and the
-- `leftover` units go one each to the rows with the largest remainders (ties: category, then
-- side). Money is ${money}: BIGINT when every call's cost fits (exact arithmetic in BIGINT is
-- much faster), else HUGEINT. A call's rows take at most five distinct costs (context; q+1 and
-- q on the output side; likewise on the input side), so each row counts the rows ranked before
-- it from the call's five remainders and category bit sets: no window over the rows.
CREATE OR REPLACE TABLE call_activity AS
WITH masks AS (  -- in_mask: the tool results the call consumes (what entered the context)
    SELECT k.cid, c.cache_read, c.output, c.input + c.cache_write AS in_tokens,
           CAST(k.cost AS ${money}) AS total, CAST(k.ctx_cost AS ${money}) AS ctx_cost,
           CAST(k.out_cost AS ${money}) AS out_cost,
           CAST(k.cost - k.ctx_cost - k.out_cost AS ${money}) AS in_cost,
           p.cost_units AS units,
           coalesce(t.out_mask, CAST(1 << ${conversation} AS USMALLINT)) AS mo,
           CASE WHEN f.after_prompt THEN CAST(1 << ${conversation} AS USMALLINT)
                WHEN f.prev_cid IS NULL AND f.is_main THEN CAST(1 << ${conversation} AS USMALLINT)
                WHEN f.prev_cid IS NULL AND f.thread LIKE 'acompact%'
                    THEN CAST(1 << ${context} AS USMALLINT)
                WHEN f.prev_cid IS NULL THEN CAST(1 << ${delegating} AS USMALLINT)
                ELSE coalesce(pt.out_mask, CAST(1 << ${conversation} AS USMALLINT)) END AS mi
    FROM ${call_cost_parts} k
    JOIN ${call_flow} f USING (cid)
    JOIN ${calls} c USING (cid)
    JOIN ${priced} p USING (cid)
    LEFT JOIN ${call_tools} t ON t.cid = k.cid
    LEFT JOIN ${call_tools} pt ON pt.cid = f.prev_cid
),
base AS (
    SELECT *, bit_count(mo) AS ko, bit_count(mi) AS ki FROM masks
),
quotients AS (  -- each side's cost per category: q, and r = cost mod k categories get q + 1
    SELECT *, out_cost // ko AS qo, in_cost // ki AS qi,
           CAST(units AS DOUBLE) / CAST(total AS DOUBLE) AS scale
    FROM base
),
estimates AS (  -- e for x = ctx_cost, qo, qi (sql/activity_macros.sql)
    SELECT *, out_cost - qo * ko AS ro, in_cost - qi * ki AS ri,
           tt_share_estimate(ctx_cost, units, total, scale) AS e0,
           tt_share_estimate(qo, units, total, scale) AS eb,
           tt_share_estimate(qi, units, total, scale) AS ed
    FROM quotients
),
differences AS (
    SELECT *,
           tt_share_difference(ctx_cost, units, total, e0) AS d0,
           tt_share_difference(qo, units, total, eb) AS db,
           tt_share_difference(qi, units, total, ed) AS dd
    FROM estimates
),
floors AS (  -- units * x // total and units * x % total, exactly (x = ctx_cost, qo, qi)
    SELECT *,
           tt_share_floor(ctx_cost, units, total, e0, d0) AS f0,
           tt_share_rem(ctx_cost, units, total, e0, d0) AS r0,
           tt_share_floor(qo, units, total, eb, db) AS fb,
           tt_share_rem(qo, units, total, eb, db) AS rb,
           tt_share_floor(qi, units, total, ed, dd) AS fd,
           tt_share_rem(qi, units, total, ed, dd) AS rd
    FROM differences
),
next_floors AS (  -- the same for qo + 1 and qi + 1
    SELECT *,
           tt_share_next_floor(qo, units, total, fb, rb) AS fa,
           tt_share_next_rem(qo, units, total, rb) AS ra,
           tt_share_next_floor(qi, units, total, fd, rd) AS fc,
           tt_share_next_rem(qi, units, total, rd) AS rc
    FROM floors
),
calls_split AS MATERIALIZED (
    SELECT cid, cache_read, output, in_tokens, ctx_cost, mo, mi, ko, ki, qo, ro, qi, ri,
           f0, fa, fb, fc, fd, r0, ra, rb, rc, rd,
           units - (f0 + ro * fa + (ko - ro) * fb + ri * fc + (ki - ri) * fd) AS leftover
    FROM next_floors
),
parts AS (  -- side 0: cache reads; 1: output over mo; 2: the input side over mi
    SELECT cid, mo, mi, ko, ki, ro, ri, r0, ra, rb, rc, rd, leftover,
           CAST(${context} AS UTINYINT) AS cat, CAST(0 AS UTINYINT) AS side,
           CAST(cache_read AS BIGINT) AS tokens, ctx_cost AS cost_pusd, f0 AS base_units,
           r0 AS remainder
    FROM calls_split
    UNION ALL
    SELECT cid, mo, mi, ko, ki, ro, ri, r0, ra, rb, rc, rd, leftover, b.cat,
           CAST(1 AS UTINYINT),
           CAST(output // ko + CAST(b.i <= output % ko AS BIGINT) AS BIGINT),
           qo + CAST(b.i <= ro AS INTEGER),
           CASE WHEN b.i <= ro THEN fa ELSE fb END,
           CASE WHEN b.i <= ro THEN ra ELSE rb END
    FROM calls_split
    JOIN activity_bits b ON b.mask = calls_split.mo
    UNION ALL
    SELECT cid, mo, mi, ko, ki, ro, ri, r0, ra, rb, rc, rd, leftover, b.cat,
           CAST(2 AS UTINYINT),
           CAST(in_tokens // ki + CAST(b.i <= in_tokens % ki AS BIGINT) AS BIGINT),
           qi + CAST(b.i <= ri AS INTEGER),
           CASE WHEN b.i <= ri THEN fc ELSE fd END,
           CASE WHEN b.i <= ri THEN rc ELSE rd END
    FROM calls_split
    JOIN activity_bits b ON b.mask = calls_split.mi
),
kept AS (  -- lo / li: the call's output / input categories before this row's
    SELECT *,
           bit_count(mo & CAST((CAST(1 AS USMALLINT) << cat) - 1 AS USMALLINT)) AS lo,
           bit_count(mi & CAST((CAST(1 AS USMALLINT) << cat) - 1 AS USMALLINT)) AS li,
           (mo >> cat) & 1 = 1 AS in_out
    FROM parts
    WHERE tokens <> 0 OR cost_pusd <> 0
)
SELECT cid, cat, side, tokens, CAST(cost_pusd AS HUGEINT) AS cost_pusd,
       CAST(base_units + CASE WHEN remainder > 0 AND
            -- rows ranked before this one: larger remainder, or equal and (cat, side) smaller
            (CASE WHEN r0 > remainder THEN 1
                  WHEN r0 = remainder AND (cat > ${context} OR (cat = ${context} AND side > 0))
                      THEN 1
                  ELSE 0 END
             + CASE WHEN ra > remainder THEN ro
                    WHEN ra = remainder
                        THEN least(ro, lo) + CAST(side = 2 AND in_out AND lo < ro AS INTEGER)
                    ELSE 0 END
             + CASE WHEN rb > remainder THEN ko - ro
                    WHEN rb = remainder
                        THEN greatest(lo - ro, 0) + CAST(side = 2 AND in_out AND lo >= ro AS INTEGER)
                    ELSE 0 END
             + CASE WHEN rc > remainder THEN ri WHEN rc = remainder THEN least(ri, li) ELSE 0 END
             + CASE WHEN rd > remainder THEN ki - ri
                    WHEN rd = remainder THEN greatest(li - ri, 0) ELSE 0 END
            ) < leftover THEN 1 ELSE 0 END AS BIGINT) AS cost_units
FROM kept;
