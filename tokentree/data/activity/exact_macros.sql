-- Exact integer helpers for the attribution and the insights, without HUGEINT division: DuckDB
-- divides HUGEINTs bit by bit (~0.2 µs each), which dominated the build. Inputs are HUGEINT or
-- BIGINT; results equal the plain `//` expressions in every case. Statements end with ";" +
-- newline.

-- x // k for a small positive k: in BIGINT when x fits (the usual case), else in HUGEINT.
CREATE OR REPLACE MACRO tt_div(x, k) AS
    CASE WHEN x >= 0 AND x < 4611686018427387904 THEN CAST(CAST(x AS BIGINT) // k AS HUGEINT)
         ELSE x // k END;

-- a * b // c (c > 0; 0 when c <= 0) given e = floor(a * b / c) computed in DOUBLE. Below 1e15
-- the estimate is off by at most one, which a single exact HUGEINT multiply-subtract corrects:
-- above (or for negative inputs) the exact HUGEINT division is used.
CREATE OR REPLACE MACRO tt_fix(a, b, c, e) AS
    CASE WHEN c <= 0 THEN CAST(0 AS HUGEINT)
         WHEN a >= 0 AND b >= 0 AND e < 1e15
         THEN CAST(e AS HUGEINT)
              + CASE WHEN CAST(a AS HUGEINT) * b - CAST(e AS HUGEINT) * c < 0 THEN -1
                     WHEN CAST(a AS HUGEINT) * b - CAST(e AS HUGEINT) * c >= c THEN 1
                     ELSE 0 END
         ELSE CAST(a AS HUGEINT) * b // c END;

-- a * b // c (see tt_fix) in one call, for the few places that have no estimate column.
CREATE OR REPLACE MACRO tt_muldiv(a, b, c) AS
    tt_fix(a, b, c, floor(CAST(a AS DOUBLE) * CAST(b AS DOUBLE) / CAST(c AS DOUBLE)));
