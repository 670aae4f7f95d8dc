"""Model prices: the bundled table, overrides, exact picodollar arithmetic (Python and SQL)."""
