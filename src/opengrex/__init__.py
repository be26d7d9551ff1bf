"""opengrex."""
