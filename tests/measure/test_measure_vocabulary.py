from yuefang.measure import MEASUREMENTS, measurement_names, normalise_sex
from yuefang.measure.vocabulary import DERIVED, LEARNT

REQUIRED = ["stature", "neck_base_girth", "chest_girth", "bust_girth", "underbust_girth", "waist_girth",
            "hip_girth", "shoulder_width", "across_back_width", "arm_length", "upper_arm_girth", "wrist_girth",
            "back_waist_length", "front_waist_length", "waist_to_hip_length", "inside_leg_length",
            "outside_leg_length", "thigh_girth", "knee_girth", "ankle_girth", "crotch_length", "head_girth"]


def test_vocabulary_has_the_required_names_with_documentation() -> None:
    for name in REQUIRED:
        m = MEASUREMENTS[name]
        assert m.name == name and m.name_zh and m.iso_clause and m.ansur and len(m.definition) > 20
        lo, hi = m.range_mm
        assert 0 < lo < hi
    assert "underbust_girth" in DERIVED and "underbust_girth" not in LEARNT


def test_sex_specific_names() -> None:
    assert "chest_girth" in measurement_names("male") and "bust_girth" not in measurement_names("male")
    assert {"bust_girth", "underbust_girth"} <= set(measurement_names("F"))
    assert normalise_sex("男") == "male"
