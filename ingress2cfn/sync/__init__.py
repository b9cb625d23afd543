"""Target sync: desired targets and diff (pure), apply (register before deregister), ownership, watch."""
