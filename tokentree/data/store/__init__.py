"""The DuckDB store: the raw tables, the derived tables and their one owner
(``DerivedTables``), deltas, the persisted cache."""
