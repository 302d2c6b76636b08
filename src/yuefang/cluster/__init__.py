"""yuefang.cluster."""
