import pytest
from pydantic import ValidationError

from yuefang.pattern.model import Pattern, Piece


def _square(name: str = "p", **kw) -> Piece:
    return Piece(name=name, label=name, cut=((0, 0), (100, 0), (100, 100), (0, 100)), grain=((50, 10), (50, 90)), **kw)


def test_pieces_json_round_trip() -> None:
    pattern = Pattern(product="test", pieces=(_square(quantity=2, mirrored_pair=True),))
    assert Pattern.from_json(pattern.to_json()) == pattern


def test_fold_piece_needs_fold_line() -> None:
    with pytest.raises(ValidationError, match="fold_line"):
        _square(cut_on_fold=True)


def test_mirrored_pair_needs_even_quantity() -> None:
    with pytest.raises(ValidationError, match="even quantity"):
        _square(quantity=3, mirrored_pair=True)
