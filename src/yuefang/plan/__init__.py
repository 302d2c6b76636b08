"""yuefang.plan."""
