"""Completion model: predict a whole body, with 90% intervals, from a few inputs.

The model is a conditional multivariate Gaussian per sex on the logarithms of the measurements.
Its mean is linear in features of the inputs (log stature, log weight and their square and
product, age and its square); the residual covariance gives closed-form conditioning on any
subset of known measurements (giving more measurements makes the others better), and the
conditional variances give the prediction intervals, calibrated by k-fold cross-validation so
that they hold the truth in the stated share of cases.

A model is fitted for each set of available inputs ("modes"): stature, weight and age; stature
and weight; stature and age; stature alone; nothing. Inputs that are not in a mode become
outputs of it (weight is predicted when it is not given), so a body can also be completed from
a GB/T 1335 designation or a garment, where no weight is known.

Examples
--------
>>> body = complete_body(sex="male", stature=1750, weight_kg=75)
>>> 850 < body.values["chest_girth"] < 1050
True
>>> body.low["chest_girth"] < body.values["chest_girth"] < body.high["chest_girth"]
True
>>> body.designation.top
'175/100A'
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from scipy import stats

from yuefang.measure.gbt1335 import Designation
from yuefang.measure.validation import BodyValidationError, validate_body
from yuefang.measure.vocabulary import DERIVED, MEASUREMENTS, SEXES, measurement_names, normalise_sex

__all__ = [
    "NotFittedError",
    "CompletionModel",
    "CompletedBody",
    "BatchResult",
    "RowError",
    "default_model",
    "complete_body",
    "complete_many",
    "INPUTS",
    "MODES",
]

FORMAT = "yuefang.measure.completion/1"
INPUTS: tuple[str, ...] = ("stature", "weight_kg", "age_years")
MODES: tuple[tuple[str, ...], ...] = (
    ("stature", "weight_kg", "age_years"),
    ("stature", "weight_kg"),
    ("stature", "age_years"),
    ("stature",),
    (),
)
"""The input sets a model is fitted for, richest first."""

_CENTRE_STATURE = 1700.0
_CENTRE_WEIGHT = 70.0
_CENTRE_AGE = 30.0


class NotFittedError(ValueError, AttributeError):
    """The estimator was used before ``fit``."""


def _features(mode: tuple[str, ...], stature: np.ndarray, weight: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Design matrix (n, p) of a mode from inputs (stature mm, weight kg, age years)."""
    n = len(stature) if len(stature) else len(weight)
    cols = [np.ones(n)]
    if "stature" in mode:
        ls = np.log(stature / _CENTRE_STATURE)
        cols.append(ls)
    if "weight_kg" in mode:
        lw = np.log(weight / _CENTRE_WEIGHT)
        cols += [lw, lw**2, ls * lw]
    if "age_years" in mode:
        a = (age - _CENTRE_AGE) / 10.0
        cols += [a, a**2]
        if "weight_kg" in mode:
            cols.append(a * lw)
    return np.column_stack(cols)


# nested feature sets (column indices of _features) that each output may choose from by CV
_CANDIDATES: dict[tuple[str, ...], list[tuple[int, ...]]] = {
    ("stature", "weight_kg", "age_years"): [(0, 1, 2), (0, 1, 2, 5), (0, 1, 2, 3, 4, 5), tuple(range(8))],
    ("stature", "weight_kg"): [(0, 1, 2), tuple(range(5))],
    ("stature", "age_years"): [(0, 1), (0, 1, 2), (0, 1, 2, 3)],
}


def _mode_key(mode: tuple[str, ...]) -> str:
    return "+".join(mode) if mode else "none"


def _lstsq(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least squares by the normal equations (few, centred features: fast and accurate enough)."""
    xtx = X.T @ X
    xtx[np.diag_indices_from(xtx)] += 1e-12 * np.trace(xtx)
    return np.linalg.solve(xtx, X.T @ y)


def _nearest_psd(cov: np.ndarray, floor: float = 1e-8) -> np.ndarray:
    w, v = np.linalg.eigh((cov + cov.T) / 2)
    w = np.maximum(w, floor)
    return (v * w) @ v.T


@dataclass
class _ModeParams:
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    coef: np.ndarray  # (p, q) on log scale
    cov: np.ndarray  # (q, q) residual covariance of the logs
    scale: np.ndarray  # (q,) interval calibration factor
    n: int

    def to_json(self) -> dict:
        return {
            "inputs": list(self.inputs),
            "outputs": list(self.outputs),
            "coef": np.round(self.coef, 7).tolist(),
            "cov": [[float(f"{x:.6g}") for x in row] for row in self.cov],
            "scale": np.round(self.scale, 4).tolist(),
            "n": int(self.n),
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> _ModeParams:
        return cls(tuple(d["inputs"]), tuple(d["outputs"]), np.asarray(d["coef"], float),
                   np.asarray(d["cov"], float), np.asarray(d["scale"], float), int(d["n"]))


def _as_float(v: Any) -> float:
    if v is None or (isinstance(v, str) and v.strip() == ""):
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


class CompletionModel:
    """Conditional Gaussian completion model (estimator).

    Parameters
    ----------
    interval : float, default 0.90
        Coverage of the prediction intervals.
    n_folds : int, default 5
        Folds of the cross-validation that calibrates the intervals (0 or 1: no calibration).
    min_rows : int, default 30
        Fewest rows of a sex with a measurement (or pair of measurements) to learn it from the data;
        below that, ``base`` supplies it.
    base : CompletionModel or None, default None
        Model supplying what the data cannot (a measurement or a sex the data lack, correlations of
        pairs too rarely measured together); ``None`` means the shipped default when needed.
    random_state : int, default 0
        Seed of the cross-validation folds.

    Attributes
    ----------
    params_ : dict
        ``{sex: {mode key: parameters}}`` learned per sex and input set.
    n_samples_ : dict
        Rows used per sex.
    from_base_ : dict
        ``{sex: [measurement names taken from base]}``.
    invalid_rows_ : list of str
        Rows left out because validation refused them (row number and reason); more than 10% of
        the rows refused makes ``fit`` raise ``BodyValidationError`` (a wrong unit, most likely).
    """

    _parameter_constraints: dict[str, tuple[float, float]] = {
        "interval": (0.5, 0.999),
        "n_folds": (0, 50),
        "min_rows": (3, 1_000_000),
        "random_state": (0, 2**32 - 1),
    }

    def __init__(self, *, interval: float = 0.90, n_folds: int = 5, min_rows: int = 30,
                 base: CompletionModel | None = None, random_state: int = 0) -> None:
        self.interval = interval
        self.n_folds = n_folds
        self.min_rows = min_rows
        self.base = base
        self.random_state = random_state

    # ----------------------------------------------------------------- fit
    def fit(self, rows: Iterable[Mapping[str, Any]]) -> CompletionModel:
        """Learn the model from rows of people.

        Parameters
        ----------
        rows : iterable of mapping
            Each with ``sex``, ``stature`` (mm), ``weight_kg``, optional ``age_years`` and any
            measurements by name (mm). Empty or missing values are allowed (pairwise use).

        Returns
        -------
        self
        """
        for name, (lo, hi) in self._parameter_constraints.items():
            value = getattr(self, name)
            if not isinstance(value, int | float) or isinstance(value, bool) or not lo <= value <= hi:
                raise ValueError(f"{name}: {value!r} is not allowed; allowed: {lo}–{hi}")
        rows = list(rows)
        by_sex: dict[str, list[Mapping[str, Any]]] = {s: [] for s in SEXES}
        bad: list[str] = []
        for i, row in enumerate(rows):
            try:
                sex = normalise_sex(row.get("sex"))
                validate_body({k: _as_float(v) if k != "sex" else v for k, v in row.items()
                               if k != "id" and not (v is None or (isinstance(v, str) and v.strip() == ""))
                               and (k in MEASUREMENTS or k in INPUTS or k == "sex")}, sex=sex)
                by_sex[sex].append(row)
            except ValueError as exc:
                bad.append(f"row {i + 1}: {exc}")
        if len(bad) > 0.1 * max(len(rows), 1):
            more = f" (and {len(bad) - 5} more rows)" if len(bad) > 5 else ""
            raise BodyValidationError([{"field": "rows", "value": len(bad),
                                        "allowed": "plausible bodies in mm (at most 10% of rows implausible)",
                                        "message": f"{len(bad)} of {len(rows)} rows are implausible (wrong unit?): "
                                                   + "; ".join(bad[:5]) + more}])
        self.invalid_rows_: list[str] = bad
        self.params_: dict[str, dict[str, _ModeParams]] = {}
        self.n_samples_: dict[str, int] = {}
        self.from_base_: dict[str, list[str]] = {}
        base = self.base
        for sex in SEXES:
            srows = by_sex[sex]
            names = [n for n in measurement_names(sex) if n != "stature" and n not in DERIVED]
            cols = {n: np.array([_as_float(r.get(n)) for r in srows]) for n in ("stature", "weight_kg", "age_years", *names)}
            ok = np.isfinite(cols["stature"]) & np.isfinite(cols["weight_kg"])
            if ok.sum() < self.min_rows:
                if base is None:
                    base = default_model()
                self.params_[sex] = base.params_[sex]
                self.n_samples_[sex] = 0
                self.from_base_[sex] = list(names)
                continue
            self.n_samples_[sex] = int(ok.sum())
            learnt = [n for n in names if np.isfinite(cols[n][ok]).sum() >= self.min_rows]
            missing = [n for n in names if n not in learnt]
            if missing and base is None:
                base = default_model()
            self.from_base_[sex] = missing
            self.params_[sex] = {}
            for mode in MODES:
                self.params_[sex][_mode_key(mode)] = self._fit_mode(
                    sex, mode, cols, ok, learnt, missing, base)
        return self

    def _fit_mode(self, sex, mode, cols, ok, learnt, missing, base) -> _ModeParams:
        has_age = np.isfinite(cols["age_years"])
        sel = ok & has_age if "age_years" in mode else ok
        if "age_years" in mode and sel.sum() < self.min_rows:
            sel = ok  # no ages: fall back to the mode without age, age features then zero
        outputs = [x for x in ("stature", "weight_kg") if x not in mode] + learnt + missing
        y = np.column_stack([np.log(cols[n][sel]) if n in cols else np.full(sel.sum(), np.nan) for n in outputs])
        age = np.where(np.isfinite(cols["age_years"][sel]), cols["age_years"][sel], _CENTRE_AGE)
        X = _features(mode, cols["stature"][sel], cols["weight_kg"][sel], age)
        n_learnt = len(outputs) - len(missing)
        cols_sel = self._select(mode, X, y, n_learnt)
        coef, resid = self._ols(X, y, n_learnt, cols_sel)
        cov, scale = self._cov(resid)
        # cross-validated calibration of the interval width
        if self.n_folds and self.n_folds > 1:
            scale = self._calibrate(X, y, n_learnt, cols_sel)
        bp = None
        if missing:
            bp = base.params_[sex][_mode_key(mode)]
        if bp is not None:
            p = X.shape[1]
            for j, name in enumerate(outputs):
                if name not in missing:
                    continue
                k = bp.outputs.index(name)
                coef[:, j] = bp.coef[:p, k] if bp.coef.shape[0] >= p else np.r_[bp.coef[:, k], np.zeros(p - bp.coef.shape[0])]
                scale[j] = bp.scale[k]
        # fill the covariance of pairs never seen together from the base's correlations
        cov = self._fill_cov(cov, outputs, bp)
        return _ModeParams(tuple(mode), tuple(outputs), coef, cov, scale, int(sel.sum()))

    @staticmethod
    def _ols(X: np.ndarray, y: np.ndarray, n_learnt: int,
             cols: list[tuple[int, ...]] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Least squares of each learnt output on its feature columns (``cols[j]``; all by default);
        rows missing an output are left out of that output's fit."""
        p, q = X.shape[1], y.shape[1]
        coef = np.zeros((p, q))
        resid = np.full_like(y, np.nan)
        cols = cols or [tuple(range(p))] * n_learnt
        full = np.all(np.isfinite(y[:, :n_learnt]), axis=1).all()
        groups: dict[tuple[int, ...], list[int]] = {}
        for j in range(n_learnt):
            groups.setdefault(tuple(cols[j]), []).append(j)
        for c, js in groups.items():
            Xc = X[:, list(c)]
            if full:
                coef[np.ix_(list(c), js)] = _lstsq(Xc, y[:, js])
                continue
            for j in js:
                m = np.isfinite(y[:, j])
                coef[list(c), j] = _lstsq(Xc[m], y[m, j])
        resid[:, :n_learnt] = y[:, :n_learnt] - X @ coef[:, :n_learnt]
        return coef, resid

    def _select(self, mode: tuple[str, ...], X: np.ndarray, y: np.ndarray, n_learnt: int) -> list[tuple[int, ...]]:
        """Per output, the candidate feature set with the smallest cross-validated mean absolute
        error (the simpler one unless the richer one is better): extra terms only where they help."""
        cands = _CANDIDATES.get(mode, [tuple(range(X.shape[1]))])
        if len(cands) == 1 or not self.n_folds or self.n_folds < 2:
            return [cands[-1]] * n_learnt
        fold = np.random.default_rng(self.random_state + 1).permutation(len(X)) % self.n_folds
        cv_err = np.zeros((len(cands), n_learnt))
        for ci, c in enumerate(cands):
            err = np.full((len(X), n_learnt), np.nan)
            for k in range(self.n_folds):
                tr, te = fold != k, fold == k
                coef, _ = self._ols(X[tr], y[tr], n_learnt, [c] * n_learnt)
                err[te] = np.abs(np.exp(y[te, :n_learnt]) - np.exp(X[te] @ coef[:, :n_learnt]))
            cv_err[ci] = np.nanmean(err, axis=0)
        out = []
        for j in range(n_learnt):
            best = 0
            for ci in range(1, len(cands)):
                if cv_err[ci, j] < cv_err[best, j]:
                    best = ci
            out.append(cands[best])
        return out

    def _cov(self, resid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        q = resid.shape[1]
        cov = np.full((q, q), np.nan)
        fin = np.isfinite(resid)
        for i in range(q):
            for j in range(i, q):
                m = fin[:, i] & fin[:, j]
                if m.sum() >= self.min_rows:
                    cov[i, j] = cov[j, i] = float(np.mean(resid[m, i] * resid[m, j]))
        return cov, np.ones(q)

    def _fill_cov(self, cov: np.ndarray, outputs: list[str], bp: _ModeParams | None) -> np.ndarray:
        q = len(outputs)
        if bp is not None:
            bsd = np.sqrt(np.diag(bp.cov))
            bcorr = bp.cov / np.outer(bsd, bsd)
            idx = [bp.outputs.index(n) if n in bp.outputs else -1 for n in outputs]
            for i in range(q):
                if not np.isfinite(cov[i, i]) and idx[i] >= 0:
                    cov[i, i] = bp.cov[idx[i], idx[i]]
            sd = np.sqrt(np.diag(cov))
            for i in range(q):
                for j in range(q):
                    if not np.isfinite(cov[i, j]):
                        r = bcorr[idx[i], idx[j]] if idx[i] >= 0 and idx[j] >= 0 else 0.0
                        cov[i, j] = r * sd[i] * sd[j]
        cov = np.where(np.isfinite(cov), cov, 0.0)
        return _nearest_psd(cov)

    def _calibrate(self, X: np.ndarray, y: np.ndarray, n_learnt: int, cols: list[tuple[int, ...]]) -> np.ndarray:
        """Per-output factor on the Gaussian sd so that the interval holds ``interval`` of CV cases."""
        n = len(X)
        rng = np.random.default_rng(self.random_state)
        fold = rng.permutation(n) % self.n_folds
        z = np.full((n, y.shape[1]), np.nan)
        for k in range(self.n_folds):
            tr, te = fold != k, fold == k
            coef, resid = self._ols(X[tr], y[tr], n_learnt, cols)
            sd = np.sqrt(np.nanmean(resid**2, axis=0))
            z[te] = np.abs(y[te] - X[te] @ coef) / sd
        zq = stats.norm.ppf(0.5 + self.interval / 2)
        scale = np.ones(y.shape[1])
        for j in range(n_learnt):
            zj = z[:, j][np.isfinite(z[:, j])]
            if len(zj) >= self.min_rows:
                scale[j] = float(np.quantile(zj, self.interval)) / zq
        return scale

    # -------------------------------------------------------------- persistence
    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise NotFittedError("This CompletionModel is not fitted yet: call fit(rows) or load one with from_json")

    def to_json(self) -> dict:
        """The fitted parameters as a JSON-ready dict (``json.dumps`` it to save)."""
        self._check_fitted()
        return {
            "format": FORMAT,
            "hyperparameters": {"interval": self.interval, "n_folds": self.n_folds, "min_rows": self.min_rows,
                                "random_state": self.random_state},
            "centres": {"stature": _CENTRE_STATURE, "weight_kg": _CENTRE_WEIGHT, "age_years": _CENTRE_AGE},
            "n_samples": self.n_samples_,
            "from_base": self.from_base_,
            "sexes": {s: {k: p.to_json() for k, p in modes.items()} for s, modes in self.params_.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str) -> CompletionModel:
        """A fitted model from :meth:`to_json` output (a dict or its JSON text)."""
        if isinstance(data, str):
            data = json.loads(data)
        if not isinstance(data, Mapping) or data.get("format") != FORMAT:
            got = data.get("format") if isinstance(data, Mapping) else type(data).__name__
            raise ValueError(f"format: {got!r} is not a completion model; allowed: {FORMAT!r}")
        hp = data.get("hyperparameters", {})
        model = cls(**{k: hp[k] for k in ("interval", "n_folds", "min_rows", "random_state") if k in hp})
        model.params_ = {s: {k: _ModeParams.from_json(p) for k, p in modes.items()}
                         for s, modes in data["sexes"].items()}
        model.n_samples_ = dict(data.get("n_samples", {}))
        model.from_base_ = {k: list(v) for k, v in data.get("from_base", {}).items()}
        return model

    # -------------------------------------------------------------- predict
    def predict_arrays(self, sex: str, inputs: Mapping[str, np.ndarray],
                       known: Mapping[str, np.ndarray] | None = None,
                       known_sd: Mapping[str, float] | None = None) -> tuple[dict, dict, dict]:
        """Complete a group of people of one sex who share the same inputs and known measurements.

        Parameters
        ----------
        sex : str
        inputs : mapping
            ``stature`` (mm), ``weight_kg``, ``age_years`` arrays of length n; absent keys are not given.
        known : mapping, optional
            Measurement name -> array (mm) of values every person of the group has.
        known_sd : mapping, optional
            Measurement name -> standard deviation (log scale, about a fraction of the value) of the
            error of a known value that is itself uncertain (a body taken from a garment); such values
            keep an interval and condition the others less.

        Returns
        -------
        (values, low, high) : dicts name -> array (mm; ``weight_kg`` in kg)
            Medians and the bounds of the ``interval`` prediction interval.
        """
        self._check_fitted()
        sex = normalise_sex(sex)
        known = dict(known or {})
        given = [k for k in INPUTS if k in inputs]
        mode = next(m for m in MODES if set(m) <= set(given))
        # inputs not used by the mode (weight without stature) are conditioned on as outputs
        for k in given:
            if k not in mode and k != "age_years":
                known[k] = inputs[k]
        p = self.params_[sex][_mode_key(mode)]
        n = len(next(iter(inputs.values()))) if inputs else len(next(iter(known.values()))) if known else 1
        zero = np.zeros(n)
        X = _features(mode, np.asarray(inputs.get("stature", zero), float),
                      np.asarray(inputs.get("weight_kg", zero), float), np.asarray(inputs.get("age_years", zero), float))
        outputs = list(p.outputs)
        mu = X @ p.coef
        cov = p.cov
        scale = p.scale
        # derived measurements: log(d) = log(f) + log(src) + N(0, r²)
        for d, (src, factor, r) in DERIVED.items():
            if src in outputs and d in measurement_names(sex):
                j = outputs.index(src)
                q = len(outputs)
                new = np.zeros((q + 1, q + 1))
                new[:q, :q] = cov
                new[q, :q] = new[:q, q] = cov[j]
                new[q, q] = cov[j, j] + r**2
                cov = new
                mu = np.column_stack([mu, mu[:, j] + math.log(factor)])
                scale = np.r_[scale, scale[j]]
                outputs.append(d)
        idx = {n_: i for i, n_ in enumerate(outputs)}
        for k in known:
            if k not in idx:
                raise ValueError(f"known: {k!r} is not a measurement of a {sex} body the model predicts; "
                                 f"allowed: {', '.join(outputs)}")
        K = [idx[k] for k in known]
        U = [i for i in range(len(outputs)) if i not in K]
        zq = stats.norm.ppf(0.5 + self.interval / 2)
        mu_u = mu[:, U]
        cov_uu = cov[np.ix_(U, U)]
        if K:
            yk = np.column_stack([np.log(np.asarray(known[k], float)) for k in known])
            ckk = cov[np.ix_(K, K)]
            noise = np.array([float((known_sd or {}).get(k, 0.0)) for k in known])
            ckk = ckk + np.diag(noise**2)
            cuk = cov[np.ix_(U, K)]
            A = np.linalg.solve(ckk, cuk.T).T
            mu_u = mu_u + (yk - mu[:, K]) @ A.T
            cov_uu = cov_uu - A @ cuk.T
        sd = np.sqrt(np.maximum(np.diag(cov_uu), 0.0)) * scale[U]
        values, low, high = {}, {}, {}
        for col, i in enumerate(U):
            name = outputs[i]
            values[name] = np.exp(mu_u[:, col])
            low[name] = np.exp(mu_u[:, col] - zq * sd[col])
            high[name] = np.exp(mu_u[:, col] + zq * sd[col])
        for k in known:
            v = np.asarray(known[k], float) * np.ones(n)
            e = float((known_sd or {}).get(k, 0.0)) * zq
            values[k], low[k], high[k] = v, v * math.exp(-e), v * math.exp(e)
        for k in given:
            if k in mode and k != "age_years":
                v = np.asarray(inputs[k], float) * np.ones(n)
                values[k] = low[k] = high[k] = v
        return values, low, high


@lru_cache(maxsize=1)
def default_model() -> CompletionModel:
    """The shipped model, fitted on the ANSUR II training files (``data/model_default.json``)."""
    text = resources.files("yuefang.measure").joinpath("data/model_default.json").read_text(encoding="utf-8")
    return CompletionModel.from_json(text)


@dataclass(frozen=True)
class CompletedBody:
    """A complete body: every measurement with its prediction interval.

    Attributes
    ----------
    sex : str
    values : dict
        Measurement name -> value in mm (every measurement of the sex, stature included).
    low, high : dict
        Bounds of the 90% prediction interval in mm (equal to the value where it was given).
    given : frozenset of str
        Measurements given by the user (not predicted).
    weight_kg, age_years : float or None
        The inputs (weight predicted where not given: see ``notes``).
    designation : Designation
        GB/T 1335 size designation.
    notes : list of str
        How the body was obtained (model, derived rules, garment ease...).
    """

    sex: str
    values: dict[str, float]
    low: dict[str, float]
    high: dict[str, float]
    given: frozenset[str]
    designation: Designation
    weight_kg: float | None = None
    age_years: float | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready dict: sex, weight_kg, age_years, values/low/high (mm, rounded to 0.1), given,
        designation (top, bottom, body_type, drop_cm) and notes."""
        r = lambda d: {k: round(float(v), 1) for k, v in d.items()}  # noqa: E731
        return {
            "sex": self.sex,
            "weight_kg": None if self.weight_kg is None else round(float(self.weight_kg), 1),
            "age_years": self.age_years,
            "values": r(self.values),
            "low": r(self.low),
            "high": r(self.high),
            "given": sorted(self.given),
            "designation": self.designation.to_dict(),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class RowError:
    """A row of a batch that could not be completed: ``index`` (0-based), ``errors`` like
    :class:`BodyValidationError` ones, and ``message``."""

    index: int
    errors: list[dict]
    message: str


@dataclass(frozen=True)
class BatchResult:
    """Result of :func:`complete_many`: ``bodies[i]`` is None where ``errors`` has row ``i``."""

    bodies: list[CompletedBody | None]
    errors: list[RowError]


def _prepare(row: Mapping[str, Any]) -> tuple[str, dict[str, float], dict[str, float]]:
    """Validate a row; return (sex, inputs, known)."""
    if row.get("sex") in (None, ""):
        raise BodyValidationError([{"field": "sex", "value": row.get("sex"), "allowed": "female, male",
                                    "message": "sex: missing; allowed: female, male"}])
    try:
        sex = normalise_sex(row["sex"])
    except ValueError as exc:
        raise BodyValidationError([{"field": "sex", "value": row.get("sex"), "allowed": "female, male",
                                    "message": str(exc)}]) from None
    clean: dict[str, Any] = {}
    for k, v in row.items():
        if k == "id" or v is None or v == "":
            continue
        if isinstance(v, str) and k != "sex":
            with contextlib.suppress(ValueError):  # validate_body names what is not a number
                v = float(v)
        clean[k] = v
    validate_body(clean, sex=sex)
    inputs = {k: float(clean[k]) for k in INPUTS if k in clean}
    known = {k: float(v) for k, v in clean.items() if k in MEASUREMENTS and k != "stature"}
    if "stature" not in inputs:
        raise BodyValidationError([{"field": "stature", "value": None, "allowed": "1200–2250 mm",
                                    "message": "stature: missing; allowed: 1200–2250 mm"}])
    return sex, inputs, known


def _notes(sex: str, inputs: Container[str], known: Container[str], model: CompletionModel) -> list[str]:
    """Notes on how a body was completed; ``inputs`` and ``known`` are only tested for names."""
    notes = []
    if "weight_kg" not in inputs:
        notes.append("weight_kg was not given: it is predicted, and the intervals are wider")
    if "age_years" not in inputs:
        notes.append("age_years was not given: the model for all ages is used")
    for d, (src, factor, _r) in DERIVED.items():
        if sex in MEASUREMENTS[d].sexes and d not in known:
            notes.append(f"{d} is derived by rule ({factor} × {src}; not in the training data): wider interval")
    if model.from_base_.get(sex):
        notes.append(f"taken from the base model (not in the fitting data): {', '.join(model.from_base_[sex])}")
    return notes


def _body(sex, values, low, high, i, given, inputs, notes) -> CompletedBody:
    """One CompletedBody from row ``i`` of group arrays (``values`` etc. may hold lists)."""
    from yuefang.measure.gbt1335 import designate

    names = measurement_names(sex)
    v = {n: float(values[n][i]) for n in names}
    lo = {n: float(low[n][i]) for n in names}
    hi = {n: float(high[n][i]) for n in names}
    w = inputs.get("weight_kg")
    weight = float(w[i]) if w is not None else float(values["weight_kg"][i])
    age = inputs.get("age_years")
    return CompletedBody(sex=sex, values=v, low=lo, high=hi, given=frozenset(given), designation=designate(v, sex),
                         weight_kg=weight, age_years=None if age is None else float(age[i]), notes=list(notes))


def complete_body(*, sex: str, stature: float, weight_kg: float | None, age_years: float | None = None,
                  known: Mapping[str, float] | None = None, model: CompletionModel | None = None) -> CompletedBody:
    """Complete a body from sex, stature and weight (age and any measurements optional).

    Parameters
    ----------
    sex : str
        ``"female"`` or ``"male"``.
    stature : float
        mm.
    weight_kg : float or None
        kg; ``None``: predicted (intervals wider).
    age_years : float, optional
    known : mapping, optional
        Measurements the user has (mm); they are kept and condition the others.
    model : CompletionModel, optional
        Default: the shipped model.

    Returns
    -------
    CompletedBody

    Raises
    ------
    BodyValidationError
        When an input or a known measurement is implausible (field, value, allowed range).
    """
    row: dict[str, Any] = {"sex": sex, "stature": stature, **dict(known or {})}
    if weight_kg is not None:
        row["weight_kg"] = weight_kg
    if age_years is not None:
        row["age_years"] = age_years
    res = complete_many([row], model=model, errors="raise")
    body = res.bodies[0]
    assert body is not None
    return body


def designate_arrays(stature, chest, waist, sex: str, series: str = "5.4") -> list:
    """GB/T 1335 designations of many bodies (arrays in mm), vectorised."""
    from yuefang.measure.gbt1335 import BODY_TYPES, CONTROL, Designation, body_type_for_drop

    s_cm, c_cm, w_cm = (np.asarray(a, float) / 10.0 for a in (stature, chest, waist))
    hao = (np.floor(s_cm / 5 + 0.5) * 5).astype(int).tolist()
    top = (np.floor(c_cm / 4 + 0.5) * 4).astype(int).tolist()
    drop = c_cm - w_cm
    step = 4 if series == "5.4" else 2
    ranges = BODY_TYPES[sex]
    out = []
    cache: dict = {}
    for h, t, d, w in zip(hao, top, drop.tolist(), w_cm.tolist(), strict=True):
        bt = None
        notes: list[str]
        for name in ("C", "B", "A", "Y"):
            lo, hi = ranges[name]
            if lo <= d <= hi:
                bt, notes = name, []
                break
        if bt is None:
            bt, notes = body_type_for_drop(d, sex)
        origin = CONTROL[sex]["types"][bt][1]
        b = int(origin + np.floor((w - origin) / step + 0.5) * step)
        key = (h, t, b, bt)
        labels = cache.get(key)
        if labels is None:
            labels = cache[key] = (f"{h}/{t}{bt}", f"{h}/{b}{bt}")
        out.append(Designation(labels[0], labels[1], bt, d, series, notes))
    return out


def complete_many(rows: Sequence[Mapping[str, Any]] | Iterable[Mapping[str, Any]],
                  model: CompletionModel | None = None, *, errors: str = "collect") -> BatchResult:
    """Complete many bodies at once (vectorised by groups that share their given fields).

    Parameters
    ----------
    rows : iterable of mapping
        Each with ``sex``, ``stature`` (mm), ``weight_kg`` (optional: predicted), optional
        ``age_years`` and measurements by name (mm). Empty strings and None are absent values;
        an ``id`` key is ignored.
    model : CompletionModel, optional
    errors : {"collect", "raise"}
        ``"collect"``: bad rows go to ``BatchResult.errors`` and do not stop the others.

    Returns
    -------
    BatchResult
    """
    if errors not in ("collect", "raise"):
        raise ValueError(f"errors: {errors!r} is not allowed; allowed: 'collect', 'raise'")
    model = model or default_model()
    rows = list(rows)
    bodies: list[CompletedBody | None] = [None] * len(rows)
    errs: list[RowError] = []
    groups: dict[tuple, list[tuple[int, dict, dict]]] = {}
    for i, row in enumerate(rows):
        try:
            sex, inputs, known = _prepare(row)
        except BodyValidationError as exc:
            if errors == "raise":
                raise
            errs.append(RowError(i, exc.errors, str(exc)))
            continue
        key = (sex, tuple(sorted(inputs)), tuple(sorted(known)))
        groups.setdefault(key, []).append((i, inputs, known))
    for (sex, in_names, known_names), members in groups.items():
        idx = [m[0] for m in members]
        inputs_a = {k: np.array([m[1][k] for m in members]) for k in in_names}
        known_a = {k: np.array([m[2][k] for m in members]) for k in known_names}
        try:
            values, low, high = model.predict_arrays(sex, inputs_a, known_a)
        except ValueError as exc:
            if errors == "raise":
                raise
            for i in idx:
                errs.append(RowError(i, [{"field": "known", "value": list(known_names), "allowed": "", "message": str(exc)}],
                                     str(exc)))
            continue
        notes = _notes(sex, inputs_a, known_a, model)
        given = frozenset(known_names) | {"stature"}
        names = measurement_names(sex)
        # lists of Python floats per measurement, then one dict per person (fast for big batches)
        rows_v = np.column_stack([values[n] for n in names]).tolist()
        rows_l = np.column_stack([low[n] for n in names]).tolist()
        rows_h = np.column_stack([high[n] for n in names]).tolist()
        weights = (inputs_a["weight_kg"] if "weight_kg" in inputs_a else values["weight_kg"]).tolist()
        ages = inputs_a["age_years"].tolist() if "age_years" in inputs_a else None
        chest = "chest_girth" if sex == "male" else "bust_girth"
        designations = designate_arrays(values["stature"], values[chest], values["waist_girth"], sex)
        for j, i in enumerate(idx):
            bodies[i] = CompletedBody(
                sex=sex, values=dict(zip(names, rows_v[j], strict=True)),
                low=dict(zip(names, rows_l[j], strict=True)),
                high=dict(zip(names, rows_h[j], strict=True)),
                given=given, designation=designations[j], weight_kg=weights[j],
                age_years=None if ages is None else ages[j], notes=list(notes))
    errs.sort(key=lambda e: e.index)
    return BatchResult(bodies, errs)
