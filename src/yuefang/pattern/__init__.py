"""Made-to-measure patterns: products drafted for one body, exported for cutting.

Pure core: values in, values out; no database, file or network access here.
"""

from yuefang.pattern.model import DrillHole, Line, Notch, Pattern, Piece

__all__ = ["DrillHole", "Line", "Notch", "Pattern", "Piece"]
