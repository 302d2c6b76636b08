"""Default operation bulletins, one CSV per product id."""
