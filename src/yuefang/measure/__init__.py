"""yuefang.measure."""
