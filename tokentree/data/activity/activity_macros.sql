-- Exact shares of the call's cost units for the attribution (sql/activity.sql), in ${money}.
-- For x = a row's pUSD: floor = units * x // total and rem = units * x % total, computed from
-- the DOUBLE estimate e = floor(x * units / total) and d = units * x - e * total (see tt_fix in
-- exact_macros.sql); e NULL means no estimate, so the exact HUGEINT division is used.
-- Statements end with ";" + newline.

-- e for x: NULL when the estimate could be off by more than one.
CREATE OR REPLACE MACRO tt_share_estimate(x, units, total, scale) AS
    CASE WHEN total > 0 AND units >= 0 AND x >= 0 AND floor(CAST(x AS DOUBLE) * scale) < 1e15
         THEN floor(CAST(x AS DOUBLE) * scale) END;

-- d for x and its estimate e.
CREATE OR REPLACE MACRO tt_share_difference(x, units, total, e) AS
    CAST(CAST(units AS HUGEINT) * x - CAST(e AS HUGEINT) * total AS ${money});

CREATE OR REPLACE MACRO tt_share_floor(x, units, total, e, d) AS
    CASE WHEN total <= 0 THEN 0
         WHEN e IS NULL THEN CAST(CAST(units AS HUGEINT) * x // total AS ${money})
         ELSE CAST(e AS ${money}) + CASE WHEN d < 0 THEN -1 WHEN d >= total THEN 1 ELSE 0 END
    END;

CREATE OR REPLACE MACRO tt_share_rem(x, units, total, e, d) AS
    CASE WHEN total <= 0 THEN 0
         WHEN e IS NULL THEN CAST(CAST(units AS HUGEINT) * x % total AS ${money})
         WHEN d < 0 THEN d + total WHEN d >= total THEN d - total ELSE d END;

-- floor and rem for x + 1 from those of x (f, r): units * (x + 1) = units * x + units, and
-- units <= total, so one step up unless r + units reaches 2 * total.
CREATE OR REPLACE MACRO tt_share_next_floor(x, units, total, f, r) AS
    CASE WHEN total <= 0 THEN 0
         WHEN r + units >= 2 * total
             THEN CAST(CAST(units AS HUGEINT) * (x + 1) // total AS ${money})
         ELSE f + CAST(r + units >= total AS INTEGER) END;

CREATE OR REPLACE MACRO tt_share_next_rem(x, units, total, r) AS
    CASE WHEN total <= 0 THEN 0
         WHEN r + units >= 2 * total
             THEN CAST(CAST(units AS HUGEINT) * (x + 1) % total AS ${money})
         WHEN r + units >= total THEN r + units - total ELSE r + units END;
