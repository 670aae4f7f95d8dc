"""The queries behind the usage summary (live pane, statusline, budgets)."""
