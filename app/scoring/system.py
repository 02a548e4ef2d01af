"""The evaluation system (SMVP; Turin calls it SIPAV): the rules a cycle is scored by.

One pydantic model is the single schema of the rules: the application stores its JSON
form (model_dump(mode="json")) per cycle and reads it back with model_validate, so
anything stored has passed these validators. The defaults are Turin's rules where
DOMAIN.md gives them; where the documents leave a value open (category parameters,
ratio cap, credit per day late) the default is a plausible choice an administrator is
expected to review."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    RootModel,
    field_validator,
    model_validator,
)

from app.scoring.numbers import quantize2

Method = Literal["threshold", "ratio", "boolean", "deadline", "steps"]
HowRating = Literal["A", "B", "C"]
RoundingMode = Literal["ROUND_HALF_UP", "ROUND_HALF_EVEN", "ROUND_HALF_DOWN", "ROUND_UP",
                       "ROUND_DOWN", "ROUND_CEILING", "ROUND_FLOOR"]
Percent = Annotated[Decimal, Field(ge=0, le=100)]
SCORES = range(7)


def _parse_factor(value) -> Fraction:
    """A factor from a number or a fraction written as text ("2/3"): fractions keep
    s/6 exact where a decimal would have to be cut."""
    try:
        factor = Fraction(value.strip() if isinstance(value, str) else value)
    except (ValueError, TypeError, ZeroDivisionError):
        factor = None
    if factor is None or isinstance(value, bool):
        raise ValueError("A factor must be a number or a fraction such as 2/3.")
    return factor


def _format_factor(value: Fraction) -> str:
    """Decimal text when exact (0.5), else the fraction (2/3)."""
    denominator = value.denominator
    while denominator % 2 == 0:
        denominator //= 2
    while denominator % 5 == 0:
        denominator //= 5
    if denominator == 1:
        return str(Decimal(value.numerator) / Decimal(value.denominator))
    return f"{value.numerator}/{value.denominator}"


Factor = Annotated[Fraction, PlainValidator(_parse_factor),
                   PlainSerializer(_format_factor, return_type=str, when_used="json")]


class _Rules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Matrix(RootModel[dict[HowRating, tuple[int, ...]]]):
    """WHAT (0-6, the position in each row) x HOW (A, B, C) -> the objective's value."""

    model_config = ConfigDict(frozen=True)

    @field_validator("root")
    @classmethod
    def _shape(cls, rows: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
        for how in ("A", "B", "C"):
            row = rows.get(how)
            if row is None:
                raise ValueError(f"The matrix needs a row for how {how}.")
            if len(row) != len(SCORES):
                raise ValueError(f"Row {how} of the matrix needs 7 values (what 0 to 6).")
            if any(value not in SCORES for value in row):
                raise ValueError(f"Row {how} of the matrix: every value must be 0 to 6.")
            if any(left > right for left, right in pairwise(row)):
                raise ValueError(f"Row {how} of the matrix: a better result must never "
                                 "give a lower value.")
        return rows

    @classmethod
    def turin(cls) -> Matrix:
        return cls({"A": (0, 1, 2, 3, 4, 5, 6), "B": (0, 1, 2, 3, 3, 4, 5),
                    "C": (0, 0, 1, 2, 2, 3, 4)})


class Bands(_Rules):
    """Inclusive score ranges of the three bands. A non-integer score takes the band of
    its value rounded with `rounding` (Turin: half up, so 1.50 is medium)."""

    low: tuple[int, int] = (0, 1)
    medium: tuple[int, int] = (2, 4)
    high: tuple[int, int] = (5, 6)
    rounding: RoundingMode = "ROUND_HALF_UP"

    @model_validator(mode="after")
    def _cover_the_scale(self) -> Bands:
        bounds = (("low", self.low), ("medium", self.medium), ("high", self.high))
        expected = 0
        for name, (start, end) in bounds:
            if start != expected:
                raise ValueError(f"The {name} band must start at {expected}: the bands must "
                                 "cover 0 to 6 in order, without gaps or overlaps.")
            if end < start:
                raise ValueError(f"The {name} band ends before it starts.")
            expected = end + 1
        if expected != len(SCORES):
            raise ValueError("The high band must end at 6.")
        return self

    def of_integer(self, score: int) -> str:
        """The band of an integer score 0-6."""
        return _band_names(self.low, self.medium, self.high)[score]


@lru_cache(maxsize=32)
def _band_names(low: tuple[int, int], medium: tuple[int, int], high: tuple[int, int]
                ) -> tuple[str, ...]:
    """The band of each score 0-6, computed once per set of bands: band() runs for every
    person, and a lookup is what keeps it cheap."""
    return tuple(name for name, (start, end) in (("low", low), ("medium", medium), ("high", high))
                 for _ in range(start, end + 1))


class Rounding(_Rules):
    """How figures are reported (DOMAIN: two decimals, half up)."""

    mode: RoundingMode = "ROUND_HALF_UP"
    decimals: int = Field(2, ge=0, le=6)


class RollUp(_Rules):
    """How achievements roll up. Areas are always the weighted mean of their operational
    objectives. organisation: 'simple' or 'weighted' mean of the strategic objectives,
    or 'areas' (the weighted mean of the strategic areas, Asti: 33.34/33.33/33.33; the
    caller passes the areas' rows). strategic_kpi_share: None (Turin) scores a strategic
    objective by its own indicators when it has any, else by its operational objectives;
    a percentage (Asti: 40) mixes the two, the rest going to the operational objectives.
    strategic_weights: 'plan' when the strategic objectives' weights add up to 100 over
    the whole plan (Turin), 'area' when they do within each strategic area (Asti: 50/50,
    100, 50/50)."""

    organisation: Literal["simple", "weighted", "areas"] = "simple"
    strategic_kpi_share: Percent | None = None
    strategic_weights: Literal["plan", "area"] = "plan"

    @model_validator(mode="after")
    def _weights_fit_the_mean(self) -> RollUp:
        if self.strategic_weights == "area" and self.organisation == "weighted":
            raise ValueError("Strategic objectives weighted within their area cannot be "
                             "averaged with those weights over the whole plan: use the "
                             "mean of the areas or the simple mean.")
        return self


class OrganisationalShares(_Rules):
    """Percentages of the base share tied to achievements (DOMAIN "Rewards"); the rest is
    the individual part."""

    staff_org: Percent = Decimal(25)
    staff_area: Percent = Decimal(15)
    manager_org: Percent = Decimal(20)
    manager_area: Percent = Decimal(0)

    @model_validator(mode="after")
    def _leave_an_individual_part(self) -> OrganisationalShares:
        if self.staff_org + self.staff_area > 100:
            raise ValueError("The staff's organisational shares add up to more than 100.")
        if self.manager_org + self.manager_area > 100:
            raise ValueError("The managers' organisational shares add up to more than 100.")
        return self


class TopRatedBonus(_Rules):
    """CCNL Funzioni Locali 2018 art. 69: an extra award of at least min_percent_of_average
    of the average individual award, for the highest-rated, at most max_share_of_staff
    percent of the people of the pool. Off by default."""

    enabled: bool = False
    min_percent_of_average: Percent = Decimal(30)
    max_share_of_staff: Percent = Decimal(10)


class Category(_Rules):
    """A staff category: its weight in the base share, whether its people are managers
    (paid from the managers' pool, with the managers' organisational shares), and the
    amount fixed in advance for a full-time person of the whole year, used when the
    system's reward_base is 'category_amount'."""

    parameter: Decimal = Field(gt=0)
    manager: bool = False
    base_amount: Decimal | None = Field(None, ge=0, decimal_places=2)


class Outcomes(_Rules):
    """Limits of the outcome labels shown beside an achievement: 'achieved' from
    `achieved` %, 'partly' from `partly` %, else 'not_achieved'. The documents print
    the labels without their limits: 100 and 50 are the product's defaults."""

    achieved: Percent = Decimal(100)
    partly: Percent = Decimal(50)

    @model_validator(mode="after")
    def _in_order(self) -> Outcomes:
        if self.partly > self.achieved:
            raise ValueError("The limit of 'partly achieved' cannot be above that of 'achieved'.")
        return self

    def of(self, achievement) -> str | None:
        """The outcome of an achievement (0-100), None without one.
        Examples (defaults): 100 -> 'achieved', 75 -> 'partly', 49.99 -> 'not_achieved'."""
        if achievement is None:
            return None
        if achievement >= self.achieved:
            return "achieved"
        return "partly" if achievement >= self.partly else "not_achieved"


def _turin_factors() -> dict[int, Fraction]:
    return {score: Fraction(score, 6) if score >= 2 else Fraction(0) for score in SCORES}


def _turin_categories() -> dict[str, Category]:
    parameters = {"A": "1.00", "B": "1.10", "C": "1.20", "D": "1.40"}
    categories = {name: Category(parameter=Decimal(value)) for name, value in parameters.items()}
    categories["DIR"] = Category(parameter=Decimal("1.00"), manager=True)  # dirigenti
    return categories


class EvaluationSystem(_Rules):
    """The rules of one cycle. Defaults: Turin's, see the module docstring."""

    default_method: Method = Field("threshold", title="Default scoring method of indicators")
    ratio_cap: Decimal = Field(Decimal(100), ge=100, title="Maximum achievement of the ratio method")
    deadline_credit_per_day: Decimal = Field(
        Decimal(0), ge=0, le=100, title="Points lost per day late on a deadline")
    matrix: Matrix = Field(default_factory=Matrix.turin, title="WHAT x HOW matrix")
    bands: Bands = Field(default_factory=Bands, title="Bands of the individual score")
    rounding: Rounding = Field(default_factory=Rounding, title="Rounding of reported figures")
    rollup: RollUp = Field(default_factory=RollUp, title="Roll-up of achievements")
    organisational_shares: OrganisationalShares = Field(
        default_factory=OrganisationalShares, title="Organisational parts of the reward")
    score_factors: dict[int, Factor] = Field(
        default_factory=_turin_factors, title="Share of the individual part paid per score")
    score_factor_rule: Literal["interpolate", "round", "floor"] = Field(
        "interpolate", title="Share paid for a score between two integers")
    top_rated_bonus: TopRatedBonus = Field(default_factory=TopRatedBonus,
                                           title="Bonus for the highest-rated")
    categories: dict[str, Category] = Field(default_factory=_turin_categories,
                                            title="Staff categories")
    review_window_days: int = Field(15, ge=1, le=365, title="Days to ask for a review")
    reward_base: Literal["everyone", "eligible", "category_amount"] = Field(
        "everyone", title="How each person's base share is set")
    outcomes: Outcomes = Field(default_factory=Outcomes, title="Limits of the outcome labels")
    weight_tolerance: Decimal = Field(
        Decimal("0.01"), ge=0, le=5,
        title="Tolerance on weights that should add up to 100 (normalised by their sum)")

    @field_validator("score_factors")
    @classmethod
    def _factor_table(cls, factors: dict[int, Fraction]) -> dict[int, Fraction]:
        if set(factors) != set(SCORES):
            raise ValueError("The table needs one factor for every score from 0 to 6.")
        values = [factors[score] for score in SCORES]
        if any(not 0 <= value <= 1 for value in values):
            raise ValueError("Every factor must be between 0 and 1.")
        if any(left > right for left, right in pairwise(values)):
            raise ValueError("A higher score must never get a lower factor.")
        return factors

    @field_validator("categories")
    @classmethod
    def _some_category(cls, categories: dict[str, Category]) -> dict[str, Category]:
        if not categories:
            raise ValueError("At least one category is needed.")
        return categories

    @model_validator(mode="after")
    def _amounts_for_a_fixed_base(self) -> EvaluationSystem:
        if self.reward_base == "category_amount":
            missing = sorted(name for name, c in self.categories.items()
                             if c.base_amount is None)
            if missing:
                raise ValueError("A base share fixed per category needs the amount of every "
                                 "category: missing for " + ", ".join(missing) + ".")
        return self

    @classmethod
    def turin_default(cls) -> EvaluationSystem:
        return cls()

    def indicator_options(self) -> dict[str, Decimal]:
        """The keyword options of indicator_score this system sets."""
        return {"cap": self.ratio_cap, "credit_per_day_late": self.deadline_credit_per_day}

    def round(self, value) -> Decimal:
        """A figure as reported under these rules."""
        return quantize2(value, self.rounding.decimals, self.rounding.mode)
