"""Reading code that several sources share because their tools share an on-disk schema (a fork
keeps its parent's storage). Not a source: the registry never loads it, it imports no source, and
each source that uses it keeps its own identity, paths and documentation."""
