"""Change sets: plan (pure), dangers, replacement prediction, priorities, safety, prune, review renderers."""
