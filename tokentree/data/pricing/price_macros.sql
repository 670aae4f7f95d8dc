-- Call cost in integer picodollars (1e-12 USD), identical to
-- tokentree.data.pricing.compute_cost_pusd. Rates come from the `model_rates` table built
-- from PriceTable.rate_rows (pUSD per token, BIGINT). All arithmetic is HUGEINT so even
-- absurd token counts cannot overflow, and nothing goes through floating point except the
-- fast multiplier, which is first turned into exact integer micro-units.
-- Token counts are expected to be >= 0, and NULL counts count as 0.
-- Result: NULL when the model is unpriced (rates NULL), never 0 for an unknown model.
-- Every statement ends with a semicolon at the end of a line: sqlfiles.statements() splits
-- there, so a semicolon may only end a statement.

-- The long-context threshold that applies to a call: none for a session total (a sum of many
-- requests; no single one is known to pass the tier, so the base rates apply).
CREATE OR REPLACE MACRO tier_threshold(session_total, threshold) AS
    CASE WHEN session_total THEN 9223372036854775807::BIGINT ELSE threshold END;

-- Tokens of one kind under the per-type rule: the first `threshold` at the base rate, the
-- rest at the long-context rate (the base rate again when the model has no tier).
CREATE OR REPLACE MACRO tt_tiered_pusd(n, threshold, base_r, lc_r) AS
    least(n, threshold) * base_r + greatest(n - threshold, 0) * coalesce(lc_r, base_r);

-- `pusd * fast_mult` rounded half-up, via the multiplier in micro-units (as in Python); other
-- speeds multiply by exactly 1 (pusd is never negative). `pusd` appears once: the macros nest,
-- and each repetition doubles the expression DuckDB plans.
CREATE OR REPLACE MACRO tt_fast_pusd(pusd, speed, fast_mult) AS
    (pusd * CASE WHEN speed = 'fast' THEN CAST(round(fast_mult * 1000000) AS HUGEINT)
                 ELSE CAST(1000000 AS HUGEINT) END + 500000) // 1000000;

-- Anthropic's documented rule: when the prompt side (input + cache read + 5m/1h cache
-- writes) exceeds `threshold`, every token kind of the call uses the long-context rates.
CREATE OR REPLACE MACRO tt_request_pusd(
    inp, outp, cr, cw5, cw1,
    in_r, out_r, cw5_r, cw1_r, cr_r, lc_in_r, lc_out_r, lc_cw5_r, lc_cw1_r, lc_cr_r, threshold
) AS
    CASE WHEN lc_in_r IS NOT NULL AND inp + cr + cw5 + cw1 > threshold
        THEN inp * lc_in_r + outp * lc_out_r + cr * lc_cr_r + cw5 * lc_cw5_r + cw1 * lc_cw1_r
        ELSE inp * in_r + outp * out_r + cr * cr_r + cw5 * cw5_r + cw1 * cw1_r
    END;

-- ccusage's rule: each token kind is tiered on its own (5m and 1h writes separately).
CREATE OR REPLACE MACRO tt_per_type_pusd(
    inp, outp, cr, cw5, cw1,
    in_r, out_r, cw5_r, cw1_r, cr_r, lc_in_r, lc_out_r, lc_cw5_r, lc_cw1_r, lc_cr_r, threshold
) AS
    tt_tiered_pusd(inp, threshold, in_r, lc_in_r)
    + tt_tiered_pusd(outp, threshold, out_r, lc_out_r)
    + tt_tiered_pusd(cr, threshold, cr_r, lc_cr_r)
    + tt_tiered_pusd(cw5, threshold, cw5_r, lc_cw5_r)
    + tt_tiered_pusd(cw1, threshold, cw1_r, lc_cw1_r);

-- The public macro: token counts, the call's speed, and one model_rates row's columns.
CREATE OR REPLACE MACRO call_cost_pusd(
    inp, outp, cr, cw5, cw1, speed,
    in_r, out_r, cw5_r, cw1_r, cr_r, lc_in_r, lc_out_r, lc_cw5_r, lc_cw1_r, lc_cr_r,
    threshold, fast_mult, per_type
) AS
    tt_fast_pusd(
        CASE WHEN per_type
            THEN tt_per_type_pusd(
                CAST(coalesce(inp, 0) AS HUGEINT), CAST(coalesce(outp, 0) AS HUGEINT),
                CAST(coalesce(cr, 0) AS HUGEINT), CAST(coalesce(cw5, 0) AS HUGEINT),
                CAST(coalesce(cw1, 0) AS HUGEINT),
                in_r, out_r, cw5_r, cw1_r, cr_r, lc_in_r, lc_out_r, lc_cw5_r, lc_cw1_r, lc_cr_r,
                CAST(threshold AS HUGEINT))
            ELSE tt_request_pusd(
                CAST(coalesce(inp, 0) AS HUGEINT), CAST(coalesce(outp, 0) AS HUGEINT),
                CAST(coalesce(cr, 0) AS HUGEINT), CAST(coalesce(cw5, 0) AS HUGEINT),
                CAST(coalesce(cw1, 0) AS HUGEINT),
                in_r, out_r, cw5_r, cw1_r, cr_r, lc_in_r, lc_out_r, lc_cw5_r, lc_cw1_r, lc_cr_r,
                CAST(threshold AS HUGEINT))
        END,
        speed, fast_mult);
