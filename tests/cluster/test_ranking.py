"""Tests of yuefang.cluster.ranking, and agreement with the SQL top list."""

from __future__ import annotations

import sqlite3

import pytest

from yuefang.cluster import analytics as A
from yuefang.cluster.model import KeyTier
from yuefang.cluster.ranking import (
    COMPONENTS,
    EnterpriseYear,
    RankingConfig,
    load_ranking_config,
    percent_ranks,
    score_enterprises,
)
from yuefang.cluster.scope import get_plan

PLAN = get_plan("gd-light-textile-2023-2025")


def _rows():
    return [
        EnterpriseYear("A", "a", "4401", "1811", income=6e9, income_prev=5e9, rd=1e8, export=1e9, output=6e9, digital=4),
        EnterpriseYear("B", "b", "4403", "1830", income=1e9, income_prev=1.2e9, rd=5e7, export=0, output=1e9, digital=2),
        EnterpriseYear("C", "c", "4405", "1763", income=5e8, income_prev=None, rd=None, export=None, output=None, digital=None),
        EnterpriseYear("D", "d", "4406", "2452", income=2e9, income_prev=1e9, rd=2e8, export=1.5e9, output=2e9, digital=5),
    ]


def test_score_is_the_weighted_sum_of_explained_components():
    scores = score_enterprises(_rows(), 12, RankingConfig())
    assert [s.uscc for s in scores] == ["D", "A", "B", "C"]
    for s in scores:
        assert [c.name for c in s.components] == list(COMPONENTS)
        assert s.score == pytest.approx(sum(c.points for c in s.components))
        assert 0 <= s.score <= 100
    d = scores[0]
    assert {c.name: c.value for c in d.components} == pytest.approx(
        {"size": 2 / 3, "growth": 1.0, "rd_intensity": 1.0, "export_share": 1.0, "digital_maturity": 1.0}
    )
    assert "growth: raw 1 -> 1.000" in d.explain()
    c = scores[-1]
    assert {x.name: x.raw for x in c.components}["growth"] is None  # no last year: 0 points, said so
    assert "n/a" in c.explain()


def test_chain_leader_threshold_is_annual_income_of_5_billion():
    cfg = RankingConfig(key_fraction=0.0, cultivate_fraction=0.0)
    tiers = {s.uscc: s.tier for s in score_enterprises(_rows(), 12, cfg)}
    assert tiers == {"A": KeyTier.CHAIN_LEADER, "B": KeyTier.NONE, "C": KeyTier.NONE, "D": KeyTier.NONE}
    # 2.6 bn in 6 months annualises to 5.2 bn
    half = [EnterpriseYear("E", "e", "4401", "1811", income=2.6e9)]
    assert score_enterprises(half, 6, cfg)[0].tier is KeyTier.CHAIN_LEADER
    assert score_enterprises(half, 12, cfg)[0].tier is KeyTier.NONE


def test_key_and_cultivate_fractions():
    rows = [EnterpriseYear(f"E{i:03d}", "e", "4401", "1811", income=1e7 * (i + 1)) for i in range(100)]
    tiers = [s.tier for s in score_enterprises(rows, 12, RankingConfig(key_fraction=0.02, cultivate_fraction=0.1))]
    assert tiers.count(KeyTier.KEY) == 2 and tiers.count(KeyTier.CULTIVATE) == 8


def test_config_validation_and_shipped_weights():
    cfg = load_ranking_config()
    assert set(cfg.weights) == set(COMPONENTS) and sum(cfg.weights.values()) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="allowed components"):
        RankingConfig(weights={"beauty": 1.0})
    with pytest.raises(ValueError, match=">= 0"):
        RankingConfig(weights={"size": -1.0})
    with pytest.raises(ValueError, match="key_fraction"):
        RankingConfig(key_fraction=0.5, cultivate_fraction=0.1)


def test_percent_ranks_match_sql_percent_rank():
    vals = [3.0, None, 1.0, 3.0, 2.0]
    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (i, x)")
    con.executemany("INSERT INTO t VALUES (?, ?)", list(enumerate(vals)))
    expr = "CASE WHEN x IS NULL THEN 0.0 ELSE PERCENT_RANK() OVER (PARTITION BY CASE WHEN x IS NULL THEN 1 ELSE 0 END ORDER BY x) END"
    got = dict(con.execute(f"SELECT i, {expr} FROM t").fetchall())
    assert [got[i] for i in range(len(vals))] == pytest.approx(percent_ranks(vals))


def test_sql_top_list_matches_python_scores(small_cluster):
    con = A.connect(small_cluster.enterprises, small_cluster.monthly)
    fetch = A.duckdb_fetch(con)
    year = small_cluster.years[-1]
    cfg = load_ranking_config()
    rows = [EnterpriseYear(*r) for r in fetch(A.sql_enterprise_year(PLAN.scope, year, 12))]
    py = score_enterprises(rows, 12, cfg)[:10]
    sql = fetch(A.sql_top_enterprises(PLAN.scope, year, 12, dict(cfg.weights), limit=10))
    assert [r[0] for r in sql] == [s.uscc for s in py]
    assert [r[5] for r in sql] == pytest.approx([s.score for s in py])
