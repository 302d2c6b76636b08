"""Package data of yuefang.plan: default operation bulletins (CSV, one per product)."""
