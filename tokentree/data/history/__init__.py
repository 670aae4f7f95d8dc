"""History beyond the logs on disk: the archive of vanished files, forgetting it, the labels of
archived sessions."""
