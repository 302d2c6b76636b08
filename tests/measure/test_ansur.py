from yuefang.measure.ansur import rows_from_ansur_csv


def test_units_and_names_of_a_female_row() -> None:
    text = ("SubjectId,stature,weightkg,Age,Gender,chestcircumference,waistcircumference,waistheightomphalion,"
            "buttockheight,crotchheight\n10037,1560,657,26,Female,922,850,931,774,740\n")
    (row,) = rows_from_ansur_csv(text)
    assert row["id"] == "10037" and row["sex"] == "female"
    assert row["weight_kg"] == 65.7 and row["age_years"] == 26
    assert row["bust_girth"] == 922 and "chest_girth" not in row
    assert row["waist_to_hip_length"] == 931 - 774
    assert row["outside_leg_length"] == 931 and row["inside_leg_length"] == 740


def test_real_files_parse(ansur_rows) -> None:
    men = [r for r in ansur_rows if r["sex"] == "male"]
    women = [r for r in ansur_rows if r["sex"] == "female"]
    assert len(men) == 3224 and len(women) == 1605
    assert 60 < sum(r["weight_kg"] for r in men) / len(men) < 100
