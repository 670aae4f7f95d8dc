"""The tree: each level's rows, a node's details, the export."""
