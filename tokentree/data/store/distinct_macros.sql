-- Distinct values of an aggregated list(x). count(DISTINCT x) and list(DISTINCT x) give the same
-- answers, but in a grouped query DuckDB builds a hash table per DISTINCT aggregate (≈ 3 ms each
-- on a level's small query, a good part of it); these read the one list() instead.
-- distinct_count(list(x)) = count(DISTINCT x): list_distinct drops NULL, as count does.
CREATE MACRO IF NOT EXISTS distinct_count(l) AS len(list_distinct(l));
-- distinct_sorted(list(x)) = list_sort(list(DISTINCT x)), which keeps one NULL when there is one.
CREATE MACRO IF NOT EXISTS distinct_sorted(l) AS
    list_sort(list_distinct(l) || list_filter(l, lambda v: v IS NULL)[1:1]);
