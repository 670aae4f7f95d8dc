-- A node's scope (tokentree/model/node_path.py): the rows under the node a path names, given a
-- row's week, day, session, turn and call and the path's ids; a NULL id means any (the path
-- ends above that level; pass NULL for a level a table does not have). Every query that narrows
-- to a node filters with this one rule.
CREATE MACRO IF NOT EXISTS in_node(week, day, session_id, turn_id, call_id, w, d, s, t, c) AS
    (w IS NULL OR week = w) AND (d IS NULL OR day = d) AND (s IS NULL OR session_id = s)
    AND (t IS NULL OR turn_id = t) AND (c IS NULL OR call_id = c);
