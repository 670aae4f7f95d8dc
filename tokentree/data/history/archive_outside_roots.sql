-- Keep only the chosen archived files under the roots being read (archive_roots): a file
-- belongs to a root of its own source, at the root or below it.
DELETE FROM ${chosen} c
WHERE NOT EXISTS (SELECT 1 FROM archive_roots r
                  WHERE r.source = c.source
                    AND (c.path = r.root OR starts_with(c.path, r.root || '/')));
