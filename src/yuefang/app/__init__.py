"""yuefang.app."""
