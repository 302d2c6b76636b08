import json
import math

import numpy as np
import pytest

from yuefang.measure import (
    BodyValidationError,
    CompletionModel,
    NotFittedError,
    complete_body,
    complete_many,
    default_model,
    measurement_names,
)


@pytest.mark.parametrize("sex", ["female", "male"])
def test_complete_body_gives_every_measurement_inside_its_interval(sex: str) -> None:
    body = complete_body(sex=sex, stature=1700, weight_kg=68, age_years=35)
    assert list(body.values) == list(measurement_names(sex))
    for name, v in body.values.items():
        assert body.low[name] <= v <= body.high[name], name
        if name != "stature":
            assert body.low[name] < body.high[name], name
    assert body.values["stature"] == 1700
    assert body.given == frozenset({"stature"})
    assert body.weight_kg == 68 and body.age_years == 35
    json.dumps(body.to_dict())  # JSON-ready


def test_known_measurements_are_kept_and_condition_the_others() -> None:
    plain = complete_body(sex="male", stature=1750, weight_kg=80)
    cond = complete_body(sex="male", stature=1750, weight_kg=80, known={"waist_girth": 1000, "chest_girth": 1080})
    assert cond.values["waist_girth"] == 1000 and cond.low["waist_girth"] == cond.high["waist_girth"] == 1000
    assert {"waist_girth", "chest_girth"} <= cond.given
    # a bigger hip than predicted pulls the thigh up, and knowing chest and waist narrows the hip interval
    hip = complete_body(sex="male", stature=1750, weight_kg=80, known={"hip_girth": 1050})
    assert hip.values["thigh_girth"] > plain.values["thigh_girth"] + 10
    width = lambda b, n: b.high[n] - b.low[n]  # noqa: E731
    assert width(cond, "hip_girth") < width(plain, "hip_girth")
    assert width(cond, "upper_arm_girth") < width(plain, "upper_arm_girth")


def test_heavier_person_gets_larger_girths_not_longer_legs() -> None:
    light = complete_body(sex="female", stature=1620, weight_kg=50)
    heavy = complete_body(sex="female", stature=1620, weight_kg=80)
    for n in ("bust_girth", "waist_girth", "hip_girth", "thigh_girth"):
        assert heavy.values[n] > light.values[n] + 50
    assert abs(heavy.values["inside_leg_length"] - light.values["inside_leg_length"]) < 30


def test_derived_underbust_follows_rule_with_wider_interval() -> None:
    b = complete_body(sex="female", stature=1620, weight_kg=58, known={"bust_girth": 900})
    assert math.isclose(b.values["underbust_girth"], 0.87 * 900, rel_tol=1e-9)
    assert b.low["underbust_girth"] < 0.87 * 900 < b.high["underbust_girth"]
    assert any("underbust_girth" in n for n in b.notes)
    # a given underbust conditions the bust in turn
    u = complete_body(sex="female", stature=1620, weight_kg=58, known={"underbust_girth": 850})
    assert u.values["bust_girth"] > complete_body(sex="female", stature=1620, weight_kg=58).values["bust_girth"]


def test_weight_unknown_is_predicted_with_wider_intervals() -> None:
    with_w = complete_body(sex="male", stature=1750, weight_kg=75)
    without = complete_body(sex="male", stature=1750, weight_kg=None)
    assert 55 < without.weight_kg < 100
    assert any("weight_kg was not given" in n for n in without.notes)
    n = "waist_girth"
    assert without.high[n] - without.low[n] > with_w.high[n] - with_w.low[n]


def test_bad_input_names_field_value_and_range() -> None:
    with pytest.raises(BodyValidationError) as exc:
        complete_body(sex="male", stature=70, weight_kg=75)
    e = exc.value.errors[0]
    assert e["field"] == "stature" and e["value"] == 70 and e["allowed"] == "1200–2250 mm"
    assert "inches" in e["message"]
    with pytest.raises(BodyValidationError, match="sex"):
        complete_body(sex="x", stature=1700, weight_kg=70)


def test_complete_many_collects_bad_rows_and_completes_the_others() -> None:
    rows = [
        {"id": "1", "sex": "male", "stature": "1750", "weight_kg": "75", "age_years": "30"},
        {"id": "2", "sex": "male", "stature": "175", "weight_kg": "75"},
        {"id": "3", "sex": "female", "stature": "1600", "weight_kg": "55", "waist_girth": "700"},
        {"id": "4", "sex": "male", "stature": "1800", "weight_kg": "abc"},
    ]
    res = complete_many(rows)
    assert [b is None for b in res.bodies] == [False, True, False, True]
    assert [e.index for e in res.errors] == [1, 3]
    assert "centimetres" in res.errors[0].message
    assert res.errors[1].errors[0]["field"] == "weight_kg"
    assert res.bodies[2].values["waist_girth"] == 700
    with pytest.raises(BodyValidationError):
        complete_many(rows, errors="raise")


def test_complete_many_equals_complete_body() -> None:
    rows = [{"sex": "female", "stature": 1580 + 10 * i, "weight_kg": 50 + i, "age_years": 20 + i} for i in range(5)]
    res = complete_many(rows)
    for row, b in zip(rows, res.bodies, strict=True):
        one = complete_body(sex="female", stature=row["stature"], weight_kg=row["weight_kg"], age_years=row["age_years"])
        for n in b.values:
            assert math.isclose(b.values[n], one.values[n], rel_tol=1e-9)
        assert b.designation.top == one.designation.top


def test_estimator_contract() -> None:
    model = CompletionModel(interval=0.8)
    assert model.interval == 0.8 and model.base is None
    with pytest.raises(NotFittedError):
        model.to_json()
    with pytest.raises(NotFittedError):
        model.predict_arrays("male", {"stature": np.array([1700.0])})
    with pytest.raises(ValueError, match="interval"):
        CompletionModel(interval=1.5).fit([])


def test_json_round_trip_predicts_the_same() -> None:
    m = default_model()
    again = CompletionModel.from_json(json.dumps(m.to_json()))
    a = complete_body(sex="male", stature=1800, weight_kg=90, known={"hip_girth": 1050}, model=m)
    b = complete_body(sex="male", stature=1800, weight_kg=90, known={"hip_girth": 1050}, model=again)
    for n in a.values:
        assert math.isclose(a.values[n], b.values[n], rel_tol=1e-5)
        assert math.isclose(a.high[n], b.high[n], rel_tol=1e-4)
    with pytest.raises(ValueError, match="format"):
        CompletionModel.from_json({"format": "other"})


def test_refit_recovers_a_known_population(make_people) -> None:
    rows = make_people(1500, "female", seed=1) + make_people(1500, "male", seed=2)
    model = CompletionModel(n_folds=3).fit(rows)
    assert model is not None and model.n_samples_ == {"female": 1500, "male": 1500}
    test = make_people(1000, "female", seed=3)
    res = complete_many([{k: r[k] for k in ("sex", "stature", "weight_kg", "age_years")} for r in test], model=model)
    hip = np.array([r["hip_girth"] for r in test])
    pred = np.array([b.values["hip_girth"] for b in res.bodies])
    low = np.array([b.low["hip_girth"] for b in res.bodies])
    high = np.array([b.high["hip_girth"] for b in res.bodies])
    coverage = np.mean((low <= hip) & (hip <= high))
    assert 0.86 <= coverage <= 0.94
    # the refit model's error equals the shipped (true) model's error within 5%
    true = complete_many([{k: r[k] for k in ("sex", "stature", "weight_kg", "age_years")} for r in test])
    pred_true = np.array([b.values["hip_girth"] for b in true.bodies])
    assert np.mean(np.abs(pred - hip)) < 1.05 * np.mean(np.abs(pred_true - hip))


def test_refit_without_some_measurements_takes_them_from_the_base(make_people) -> None:
    rows = make_people(300, "male", seed=4, drop=("head_girth", "crotch_length"))
    model = CompletionModel(n_folds=0).fit(rows)
    assert sorted(model.from_base_["male"]) == ["crotch_length", "head_girth"]
    assert model.n_samples_["female"] == 0  # women from the base model
    body = complete_body(sex="male", stature=1750, weight_kg=75, model=model)
    assert 520 < body.values["head_girth"] < 620
    assert any("base model" in n for n in body.notes)
    fem = complete_body(sex="female", stature=1600, weight_kg=55, model=model)
    assert "bust_girth" in fem.values


def test_refit_leaves_out_implausible_rows_and_refuses_wrong_units(make_people) -> None:
    rows = make_people(200, "male", seed=5)
    rows[7] = {**rows[7], "hip_girth": 95.0}
    model = CompletionModel(n_folds=0).fit(rows)
    assert model.n_samples_["male"] == 199
    assert len(model.invalid_rows_) == 1 and model.invalid_rows_[0].startswith("row 8: hip_girth")
    in_cm = [{**r, "stature": r["stature"] / 10} for r in rows]
    with pytest.raises(BodyValidationError, match="wrong unit") as exc:
        CompletionModel(n_folds=0).fit(in_cm)
    assert "centimetres" in str(exc.value)


def test_shipped_model_is_what_the_training_script_fits(ansur_rows) -> None:
    fitted = CompletionModel(interval=0.90, n_folds=5, random_state=0).fit(ansur_rows)
    shipped = default_model()
    for sex in ("female", "male"):
        for key, p in shipped.params_[sex].items():
            q = fitted.params_[sex][key]
            assert p.outputs == q.outputs
            np.testing.assert_allclose(p.coef, q.coef, atol=1e-6)
            np.testing.assert_allclose(p.scale, q.scale, atol=1e-3)


def test_shipped_model_accuracy_on_ansur(ansur_rows) -> None:
    """Fit on 80% of the men, check MAE and interval coverage on the other 20%."""
    rng = np.random.default_rng(0)
    men = [r for r in ansur_rows if r["sex"] == "male"]
    idx = rng.permutation(len(men))
    train = [men[i] for i in idx[: int(0.8 * len(men))]]
    test = [men[i] for i in idx[int(0.8 * len(men)):]]
    model = CompletionModel(n_folds=3).fit(train)
    res = complete_many([{k: r[k] for k in ("sex", "stature", "weight_kg", "age_years")} for r in test], model=model)
    for name, max_mae in (("chest_girth", 40), ("waist_girth", 50), ("inside_leg_length", 25)):
        truth = np.array([r[name] for r in test])
        pred = np.array([b.values[name] for b in res.bodies])
        assert np.mean(np.abs(pred - truth)) < max_mae, name
        cover = np.mean([b.low[name] <= r[name] <= b.high[name] for b, r in zip(res.bodies, test, strict=True)])
        assert 0.86 <= cover <= 0.94, (name, cover)


def test_more_measurements_make_the_others_better_on_ansur(ansur_rows) -> None:
    rng = np.random.default_rng(1)
    women = [r for r in ansur_rows if r["sex"] == "female"]
    idx = rng.permutation(len(women))
    train = [women[i] for i in idx[:1200]]
    test = [women[i] for i in idx[1200:]]
    model = CompletionModel(n_folds=0).fit(train)
    base = ("sex", "stature", "weight_kg", "age_years")
    plain = complete_many([{k: r[k] for k in base} for r in test], model=model).bodies
    given = complete_many([{**{k: r[k] for k in base}, "bust_girth": r["bust_girth"], "waist_girth": r["waist_girth"]}
                           for r in test], model=model).bodies
    for name in ("hip_girth", "thigh_girth", "upper_arm_girth"):
        truth = np.array([r[name] for r in test])
        mae_plain = np.mean(np.abs(np.array([b.values[name] for b in plain]) - truth))
        mae_given = np.mean(np.abs(np.array([b.values[name] for b in given]) - truth))
        assert mae_given < mae_plain, name


def test_random_valid_inputs_give_sane_bodies() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None)
    @given(sex=st.sampled_from(["female", "male"]), stature=st.floats(1450, 2000), bmi=st.floats(16, 40),
           age=st.one_of(st.none(), st.floats(18, 80)))
    def check(sex, stature, bmi, age):
        weight = bmi * (stature / 1000) ** 2
        b = complete_body(sex=sex, stature=stature, weight_kg=weight, age_years=age)
        for n, v in b.values.items():
            assert math.isfinite(v) and b.low[n] <= v <= b.high[n]
        assert b.values["inside_leg_length"] < b.values["outside_leg_length"] < stature
        assert b.designation.top.startswith(str(int(np.floor(stature / 50 + 0.5) * 5)))

    check()
