"""Reading logs into the raw tables: discovery, the plan of what to read, the bulk scan and its
tolerant fallback, store reads, the paths live mode reports."""
