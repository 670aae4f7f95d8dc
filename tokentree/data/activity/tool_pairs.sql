-- The distinct (tool name, detail) pairs of the tool uses to classify: the detail counts only
-- for shell tools; from every call with tools, or from the relation a delta
-- names, leaving out pairs activity_map already has.
SELECT DISTINCT name, detail
FROM (SELECT coalesce(t.name, '') AS name,
             CASE WHEN t.name IN (${shell_tools}) THEN coalesce(t.detail, '') ELSE '' END AS detail
      FROM (SELECT unnest(tools) AS t FROM ${uses} len(tools) > 0))
WHERE ${new};
