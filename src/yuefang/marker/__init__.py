"""yuefang.marker."""
