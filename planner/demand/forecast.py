"""Interval forecast of contacts and handle time, per channel, for a horizon.

The model, per channel, works in the business time zone, so a daily peak stays at
the same local hour across a DST change and lands on the right UTC intervals:

``contacts(interval) = level(week) x weekday_factor x day_effect x shape(slot)``

- ``shape``: the intraday profile (each local slot's share of the day), per weekday,
  from normal days, recent weeks weighted more (weights halve every few weeks).
- ``weekday_factor``: the weekday's volume relative to the week's mean day, likewise.
- ``level(week)``: weekly levels from normal days only (holidays and the days either
  side left out), a line fitted to the log of the last weeks' levels (one pass drops
  outlier weeks), projected with a damped trend.
- ``day_effect``: 1 on a normal day. A holiday in the horizon takes the volume ratio of
  the same holiday in history (exact name; the occurrence nearest in the year), else
  the geometric mean ratio of every holiday in history. Whether a holiday's volume
  follows its weekday (``level x factor^a x ratio``, ``a`` in 0..1) is learned by
  leave-one-holiday-out error. Its intraday shape blends the weekday's shape with the
  average holiday profile (blend learned the same way) and, when history has the same
  holiday, with that day's own smoothed profile. The day before or after a holiday
  gets the ratio history showed for it when that is clearly beyond day-to-day noise.

Handle time (AHT): a contact-weighted profile per weekday and local slot, shrunk
towards the weekday's mean where few contacts back it, rescaled to the last weeks'
level, times the AHT ratio history shows on holidays.

:func:`backtest` holds out the last weeks of history (or any period), forecasts them
from what came before and scores the model and seasonal-naive by WAPE.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from planner.data.holiday_calendar import HolidayCalendar
from planner.domain import Config, Horizon, Window

log = logging.getLogger(__name__)

FORECAST_COLUMNS = ("interval_start", "channel", "contacts", "aht_seconds")
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class ForecastSettings:
    """Knobs of the model; defaults chosen on rolling 4-week backtests of the sample data."""

    shape_half_life_weeks: float = 12.0
    """Recency weighting of intraday shapes and weekday factors (weight halves every N weeks)."""
    trend_weeks: int = 8
    """Weekly levels used to fit the current level and its trend."""
    trend_damping: float = 0.8
    """Each further week ahead keeps this fraction of the previous week's trend."""
    same_holiday_shape_weight: float = 0.5
    """Weight of the same holiday's own (smoothed) intraday profile in its forecast shape."""
    aht_prior_contacts: float = 30.0
    """Contacts' worth of weight the weekday mean AHT gets in each slot's AHT."""
    aht_level_weeks: int = 4
    """Recent weeks whose contact-weighted AHT sets the level of the AHT profile."""
    neighbour_min_holidays: int = 3
    """Holidays needed before a general day-before/after effect is used."""


DEFAULT_SETTINGS = ForecastSettings()


# --------------------------------------------------------------------------- horizon


def coverage_window(config: Config, calendar: HolidayCalendar, day: date) -> Window | None:
    """The ``[coverage]`` window of a local date: holiday, else weekend, else weekday."""
    coverage = config.coverage
    if calendar.is_holiday(day):
        return coverage.holiday
    if day.weekday() >= 5:
        return coverage.weekend
    return coverage.weekday


def local_instant(day: date, minutes: int, zone: ZoneInfo) -> pd.Timestamp:
    """The UTC instant of wall-clock ``minutes`` after local midnight of ``day`` in ``zone``."""
    wall = datetime.combine(day, time()) + timedelta(minutes=minutes)
    return pd.Timestamp(wall.replace(tzinfo=zone).astimezone(_UTC))


def horizon_intervals(
    config: Config, calendar: HolidayCalendar, start: date, weeks: int
) -> pd.DatetimeIndex:
    """Every UTC interval start of the horizon, in order.

    The horizon covers its local dates in the business time zone, plus the hours past
    midnight into which the last date's coverage window runs (CONTRACT.md, "Time").
    """
    zone = config.site.zone
    horizon = Horizon(start, weeks)
    window = coverage_window(config, calendar, horizon.end - timedelta(days=1))
    tail = max(0, window.end - 1440) if window is not None else 0
    step = pd.Timedelta(minutes=config.site.interval_minutes)
    first = local_instant(horizon.start, 0, zone).floor(step)
    stop = local_instant(horizon.end, tail, zone).ceil(step)
    return pd.date_range(first, stop, freq=step, inclusive="left", name="interval_start")


def _local_ordinal_minute(
    instants: pd.DatetimeIndex, zone: ZoneInfo
) -> tuple[np.ndarray, np.ndarray]:
    """Local date ordinals and minutes after local midnight of UTC instants."""
    wall = instants.tz_convert(zone).tz_localize(None)
    minutes = wall.values.astype("datetime64[m]").astype(np.int64)
    return minutes // 1440 + _EPOCH_ORDINAL, minutes % 1440


def _weekday(ordinals: np.ndarray) -> np.ndarray:
    return (ordinals - 1) % 7  # ordinal 1 (0001-01-01) is a Monday


def _week(ordinals: np.ndarray, week_start: int) -> np.ndarray:
    return (ordinals - 1 - week_start) // 7


# --------------------------------------------------------------------------- history


@dataclass
class _DayMatrix:
    """One channel's history as local days x local slots.

    ``contacts`` holds the mean contacts of the slot (a slot that occurs twice when
    clocks fall back is averaged; the hour skipped when they spring forward is
    interpolated); ``handled`` holds contacts x AHT on the same footing. ``grid`` and
    ``grid_contacts`` are the same history on its regular UTC grid.
    """

    first_ordinal: int
    contacts: np.ndarray
    handled: np.ndarray
    usable: np.ndarray
    grid: pd.DatetimeIndex
    grid_contacts: np.ndarray

    @property
    def ordinals(self) -> np.ndarray:
        return self.first_ordinal + np.arange(self.contacts.shape[0])


def _day_matrix(rows: pd.DataFrame, zone: ZoneInfo, interval: int) -> _DayMatrix:
    """Build the local day matrix of one channel's history rows.

    Missing rows inside the history's span count as zero contacts (a file may leave
    out empty intervals); a local day with no row at all, or only partly inside the
    span, is not usable for learning.
    """
    step = pd.Timedelta(minutes=interval)
    stamps = pd.DatetimeIndex(rows["interval_start"])
    contacts = rows["contacts"].to_numpy(dtype=float)
    aht = np.nan_to_num(rows["aht_seconds"].to_numpy(dtype=float))
    first, last = stamps.min().floor(step), stamps.max().floor(step)
    grid = pd.date_range(first, last, freq=step)
    position = ((stamps.floor(step) - first) // step).to_numpy(dtype=np.int64)
    grid_contacts = np.zeros(len(grid))
    grid_handled = np.zeros(len(grid))
    np.add.at(grid_contacts, position, contacts)
    np.add.at(grid_handled, position, contacts * aht)
    has_row = np.zeros(len(grid), dtype=bool)
    has_row[position] = True

    ordinals, minutes = _local_ordinal_minute(grid, zone)
    first_ordinal = int(ordinals[0])
    days = int(ordinals[-1]) - first_ordinal + 1
    slots = 1440 // interval
    day_idx = ordinals - first_ordinal
    slot = minutes // interval
    total = np.zeros((days, slots))
    handled = np.zeros((days, slots))
    count = np.zeros((days, slots))
    np.add.at(total, (day_idx, slot), grid_contacts)
    np.add.at(handled, (day_idx, slot), grid_handled)
    np.add.at(count, (day_idx, slot), 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        matrix = np.where(count > 0, total / count, np.nan)
        handled_mean = np.where(count > 0, handled / count, np.nan)
    # The hour skipped when clocks spring forward gets its neighbours' mean, so that
    # day counts as a whole day for levels and shapes (its forecast drops it again).
    matrix = _fill_inner_gaps(matrix)
    handled_mean = _fill_inner_gaps(handled_mean)

    usable = np.bincount(day_idx, weights=has_row.astype(float), minlength=days) > 0
    if minutes[0] != 0:
        usable[0] = False  # the span starts after local midnight
    if minutes[-1] + interval < 1440:
        usable[-1] = False  # the span ends before local midnight
    return _DayMatrix(first_ordinal, matrix, handled_mean, usable, grid, grid_contacts)


def _fill_inner_gaps(matrix: np.ndarray) -> np.ndarray:
    """Linear interpolation of NaN slots between present slots of the same day."""
    out = matrix.copy()
    for row in np.flatnonzero(np.isnan(out).any(axis=1)):
        values = out[row]
        present = np.flatnonzero(~np.isnan(values))
        if len(present) < 2:
            continue
        inner = np.arange(present[0], present[-1] + 1)
        gaps = inner[np.isnan(values[inner])]
        values[gaps] = np.interp(gaps, present, values[present])
    return out


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class HolidayEffect:
    """What one holiday of history did to volume."""

    name: str
    day: date
    weekday_ratio: float
    """Day total over what a normal day of that weekday and week would have had."""
    level_ratio: float
    """Day total over the week's mean daily level (the holiday as a day type of its own)."""
    profile: np.ndarray = field(repr=False)
    """Intraday shares of that day's contacts per local slot."""
    before_ratio: float | None = None
    """Day before over its normal expectation, when clearly beyond day-to-day noise."""
    after_ratio: float | None = None
    """Day after, likewise."""


@dataclass(frozen=True)
class ChannelModel:
    """Everything the forecast learned about one channel."""

    channel: str
    level: float
    """Expected daily contacts (weekday factor 1) in the last training week."""
    weekly_trend: float
    """Log-growth of the level per week, before damping."""
    weekday_factors: np.ndarray = field(repr=False)
    shapes: np.ndarray = field(repr=False)
    """(7, slots): intraday shares per weekday (Mon = 0)."""
    aht: np.ndarray = field(repr=False)
    """(7, slots): AHT in seconds per weekday and slot."""
    last_week: int
    day_noise: float
    """Robust standard deviation of log(actual / expected) on normal days."""
    holidays: tuple[HolidayEffect, ...] = ()
    holiday_weekday_exponent: float = 0.0
    """How far a holiday follows its weekday: its volume is ``level x factor^a x ratio``.
    0 = a day type of its own (a day off looks alike whatever its weekday), 1 = the usual
    multiplicative effect on the weekday. Chosen by leave-one-holiday-out error."""
    holiday_shape: np.ndarray | None = field(default=None, repr=False)
    holiday_shape_weight: float = 0.0
    """Blend weight of ``holiday_shape`` against the weekday shape (leave-one-out)."""
    general_holiday_ratio: float = 1.0
    """Geometric mean of the history holidays' ratios: for holidays history lacks."""
    general_before_ratio: float = 1.0
    general_after_ratio: float = 1.0
    holiday_aht_factor: float = 1.0

    def ratio(self, effect: HolidayEffect) -> float:
        """The holiday's volume ratio on the footing this model uses."""
        return effect.level_ratio / self._weekday_scale(effect.day.weekday())

    def _weekday_scale(self, weekday: int) -> float:
        factor = float(self.weekday_factors[weekday])
        return factor**self.holiday_weekday_exponent if factor > 0 else 1.0

    def holiday_total(self, effect_ratio: float, weekday: int, level: float) -> float:
        """Expected contacts of a holiday on ``weekday`` in a week of mean daily ``level``."""
        if self.weekday_factors[weekday] <= 0:
            return 0.0  # the line is closed on that weekday
        return level * self._weekday_scale(weekday) * effect_ratio

    def holiday_effect(self, name: str, day: date) -> HolidayEffect | None:
        """The history occurrence of holiday ``name`` nearest ``day`` in the year.

        Matching is by exact name (an observed day is a holiday of its own); among
        several occurrences the nearest day of the year wins, then the most recent.
        """
        found = [h for h in self.holidays if h.name == name]
        if not found:
            return None

        def distance(effect: HolidayEffect) -> tuple[int, int]:
            apart = abs(day.timetuple().tm_yday - effect.day.timetuple().tm_yday) % 365
            return min(apart, 365 - apart), -effect.day.toordinal()

        return min(found, key=distance)


def _recency_weights(ordinals: np.ndarray, half_life_weeks: float) -> np.ndarray:
    age_weeks = (ordinals.max() - ordinals) / 7.0
    return np.power(0.5, age_weeks / half_life_weeks)


def _weighted_profile(profiles: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """NaN-aware weighted mean of day profiles, renormalised to sum to 1."""
    present = ~np.isnan(profiles)
    numerator = np.where(present, profiles, 0.0).T @ weights
    denominator = present.T.astype(float) @ weights
    mean = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
    total = mean.sum()
    return mean / total if total > 0 else np.full_like(mean, 1.0 / len(mean))


def _smooth(profile: np.ndarray) -> np.ndarray:
    """A [1, 2, 1] moving average over neighbouring slots (absent slots stay out)."""
    values = np.nan_to_num(profile)
    present = (~np.isnan(profile)).astype(float)
    kernel = np.array([1.0, 2.0, 1.0])
    numerator = np.convolve(np.pad(values, 1, mode="edge"), kernel, mode="valid")
    denominator = np.convolve(np.pad(present, 1, mode="edge"), kernel, mode="valid")
    out = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
    return out / out.sum() if out.sum() > 0 else out


def _robust_sd(values: np.ndarray) -> float:
    if len(values) < 2:
        return 0.0
    return float(1.4826 * np.median(np.abs(values - np.median(values))))


def _fit_level(
    week_levels: np.ndarray, valid: np.ndarray, settings: ForecastSettings
) -> tuple[float, float, int]:
    """Current level and weekly log-trend from the last valid weekly levels.

    Least squares on ``log(level)`` over the last ``trend_weeks`` valid weeks,
    with one pass that drops weeks more than 3 robust deviations off the line.
    Returns (level at the last week, slope per week, index of the last week).
    """
    weeks = np.flatnonzero(valid)[-settings.trend_weeks :]
    last = int(np.flatnonzero(valid)[-1])
    y = np.log(week_levels[weeks])
    x = weeks.astype(float)
    keep = np.ones(len(weeks), dtype=bool)
    level, slope = float(np.exp(y.mean())), 0.0
    for _ in range(2):
        if keep.sum() < 3:
            level, slope = float(np.exp(y[keep].mean())), 0.0
            break
        xm, ym = x[keep].mean(), y[keep].mean()
        slope = float(((x[keep] - xm) * (y[keep] - ym)).sum() / ((x[keep] - xm) ** 2).sum())
        level = float(np.exp(ym + slope * (last - xm)))
        residual = y - (ym + slope * (x - xm))
        spread = _robust_sd(residual[keep])
        outliers = np.abs(residual) > 3 * spread if spread > 0 else np.zeros_like(keep)
        if not (outliers & keep).any():
            break
        keep &= ~outliers
    return level, slope, last


def _neighbour_ratio(ratios: list[float], noise: float, minimum: int) -> float:
    """The general day-before/after ratio when clearly above the noise, else 1."""
    if len(ratios) < minimum:
        return 1.0
    logs = np.log(np.asarray(ratios))
    mean = float(logs.mean())
    spread = float(logs.std(ddof=1)) if len(logs) > 1 else noise
    if abs(mean) > 2 * max(spread, noise * 0.5) / math.sqrt(len(logs)):
        return math.exp(mean)
    return 1.0


@dataclass(frozen=True)
class _Days:
    """The history's local days, labelled: calendar, weekday, week and which are normal."""

    dates: list[date]
    names: list[str | None]
    weekday: np.ndarray
    week: np.ndarray
    totals: np.ndarray
    holiday: np.ndarray
    normal: np.ndarray
    """Usable days with contacts that are neither holidays nor next to one."""


def _label_days(matrix: _DayMatrix, calendar: HolidayCalendar, week_start: int) -> _Days:
    ordinals = matrix.ordinals
    dates = [date.fromordinal(int(o)) for o in ordinals]
    names = [calendar.name(d) for d in dates]
    week = _week(ordinals, week_start)
    totals = np.nansum(matrix.contacts, axis=1)
    holiday = np.array([n is not None for n in names])
    neighbour = np.zeros_like(holiday)
    neighbour[1:] |= holiday[:-1]
    neighbour[:-1] |= holiday[1:]
    neighbour &= ~holiday
    normal = matrix.usable & ~holiday & ~neighbour & (totals > 0)
    return _Days(dates, names, _weekday(ordinals), week - week[0], totals, holiday, normal)


def _weekday_factors(days: _Days, recency: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weekday factors (mean 1) and weekly levels, fitted alternately on normal days."""
    normal, week, weekday, totals = days.normal, days.week, days.weekday, days.totals
    factors = np.ones(7)
    n_weeks = int(week[-1]) + 1
    levels = np.zeros(n_weeks)
    for _ in range(4):
        expected_share = np.bincount(
            week[normal], weights=factors[weekday[normal]], minlength=n_weeks
        )
        volume = np.bincount(week[normal], weights=totals[normal], minlength=n_weeks)
        levels = np.divide(volume, expected_share, out=np.zeros(n_weeks), where=expected_share > 0)
        ratio = totals[normal] / np.where(levels[week[normal]] > 0, levels[week[normal]], np.nan)
        ok = ~np.isnan(ratio)
        num = np.bincount(weekday[normal][ok], weights=(recency[normal] * ratio)[ok], minlength=7)
        den = np.bincount(weekday[normal][ok], weights=recency[normal][ok], minlength=7)
        seen = den > 0
        factors = np.where(seen, np.divide(num, den, out=np.ones(7), where=seen), np.nan)
        factors = np.nan_to_num(factors / np.nanmean(factors), nan=1.0)
    return factors, levels


def _intraday_shapes(profiles: np.ndarray, days: _Days, recency: np.ndarray) -> np.ndarray:
    """One intraday shape per weekday (the overall shape for a weekday never seen)."""
    normal = days.normal
    overall_shape = _weighted_profile(profiles[normal], recency[normal])
    shapes = np.tile(overall_shape, (7, 1))
    for wd in range(7):
        chosen = normal & (days.weekday == wd)
        if chosen.any():
            shapes[wd] = _weighted_profile(profiles[chosen], recency[chosen])
    return shapes


@dataclass
class _HolidaysSeen:
    """Holidays seen in history, the days either side of them, and their handle time."""

    effects: list[HolidayEffect] = field(default_factory=list)
    general_before: list[float] = field(default_factory=list)
    general_after: list[float] = field(default_factory=list)
    handled: float = 0.0
    expected: float = 0.0


def _beside_ratio(days: _Days, usable: np.ndarray, day_ratio: np.ndarray, j: int) -> float | None:
    """Day ``j``'s ratio to its expectation, when it is a usable normal neighbour."""
    if not (0 <= j < len(days.dates) and usable[j] and not days.holiday[j]):
        return None
    if np.isfinite(day_ratio[j]) and day_ratio[j] > 0:
        return float(day_ratio[j])
    return None


def _holidays_seen(  # noqa: PLR0917 - the fitted pieces of one channel
    matrix: _DayMatrix,
    days: _Days,
    profiles: np.ndarray,
    aht: np.ndarray,
    filled: np.ndarray,
    expected_day: np.ndarray,
    noise: float,
) -> _HolidaysSeen:
    seen = _HolidaysSeen()
    with np.errstate(divide="ignore", invalid="ignore"):
        day_ratio = days.totals / expected_day
    for i in np.flatnonzero(days.holiday & matrix.usable & (expected_day > 0) & (days.totals > 0)):
        name = days.names[i]
        assert name is not None
        contacts_i = np.nan_to_num(matrix.contacts[i])
        seen.handled += float(np.nansum(matrix.handled[i]))
        seen.expected += float((contacts_i * aht[days.weekday[i]]).sum())
        beside: list[float | None] = []
        for offset, general in ((-1, seen.general_before), (1, seen.general_after)):
            ratio_j = _beside_ratio(days, matrix.usable, day_ratio, int(i) + offset)
            if ratio_j is not None:
                general.append(ratio_j)
            # Only a neighbour clearly beyond the day-to-day noise is its own effect.
            strong = ratio_j is not None and abs(math.log(ratio_j)) > 3 * noise
            beside.append(ratio_j if strong else None)
        seen.effects.append(
            HolidayEffect(
                name=name,
                day=days.dates[i],
                weekday_ratio=float(day_ratio[i]),
                level_ratio=float(days.totals[i] / filled[days.week[i]]),
                profile=profiles[i],
                before_ratio=beside[0],
                after_ratio=beside[1],
            )
        )
    return seen


def fit_channel(
    rows: pd.DataFrame,
    channel: str,
    config: Config,
    calendar: HolidayCalendar,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> ChannelModel:
    """Learn one channel's model from its history rows (``interval_start`` in UTC)."""
    week_start = config.site.week_start_index
    matrix = _day_matrix(rows, config.site.zone, config.site.interval_minutes)
    days = _label_days(matrix, calendar, week_start)
    if not days.normal.any():
        raise ValueError(f"channel {channel}: history has no usable normal day")
    recency = _recency_weights(matrix.ordinals, settings.shape_half_life_weeks)
    factors, levels = _weekday_factors(days, recency)

    n_weeks = levels.size
    normal_days = np.bincount(days.week[days.normal], minlength=n_weeks)
    valid_week = (normal_days >= min(3, int(normal_days.max()))) & (levels > 0)
    if not valid_week.any():
        valid_week = levels > 0
    level, slope, last_valid = _fit_level(levels, valid_week, settings)
    filled = np.interp(np.arange(n_weeks), np.flatnonzero(valid_week), levels[valid_week])
    expected_day = filled[days.week] * factors[days.weekday]
    with np.errstate(divide="ignore", invalid="ignore"):
        day_ratio = days.totals / expected_day
        profiles = matrix.contacts / days.totals[:, None]
    noise = _robust_sd(np.log(day_ratio[days.normal & (expected_day > 0)]))
    shapes = _intraday_shapes(profiles, days, recency)
    aht = _aht_profile(matrix, days.normal, days.weekday, recency, settings)
    seen = _holidays_seen(matrix, days, profiles, aht, filled, expected_day, noise)

    holiday_shape, weight = _holiday_shape(seen.effects, shapes, settings)
    exponent = _holiday_weekday_exponent(seen.effects, factors)
    chosen = [e.level_ratio / _scale(factors, e.day.weekday(), exponent) for e in seen.effects]
    general_ratio = float(np.exp(np.mean(np.log(chosen)))) if chosen else 1.0
    minimum = settings.neighbour_min_holidays
    log.debug(
        "%s: level %.1f/day, trend %+.2f%%/week, %d holidays, holiday weekday exponent %.2f",
        channel, level, 100 * slope, len(seen.effects), exponent,
    )  # fmt: skip
    return ChannelModel(
        channel=channel,
        level=level,
        weekly_trend=slope,
        weekday_factors=factors,
        shapes=shapes,
        aht=aht,
        last_week=int(last_valid) + int(_week(matrix.ordinals[:1], week_start)[0]),
        day_noise=noise,
        holidays=tuple(seen.effects),
        holiday_weekday_exponent=exponent,
        holiday_shape=holiday_shape,
        holiday_shape_weight=weight,
        general_holiday_ratio=general_ratio,
        general_before_ratio=_neighbour_ratio(seen.general_before, noise, minimum),
        general_after_ratio=_neighbour_ratio(seen.general_after, noise, minimum),
        holiday_aht_factor=seen.handled / seen.expected if seen.expected > 0 else 1.0,
    )


def _aht_profile(
    matrix: _DayMatrix,
    normal: np.ndarray,
    weekday: np.ndarray,
    recency: np.ndarray,
    settings: ForecastSettings,
) -> np.ndarray:
    """Contact-weighted AHT per weekday and slot, shrunk towards the weekday's mean."""
    contacts = np.nan_to_num(matrix.contacts)
    handled = np.nan_to_num(matrix.handled)
    slots = contacts.shape[1]
    weights = np.where(normal, recency, 0.0)
    total_c = weights @ contacts
    total_h = weights @ handled
    overall = total_h.sum() / total_c.sum() if total_c.sum() > 0 else 0.0
    prior = settings.aht_prior_contacts
    out = np.full((7, slots), overall)
    for wd in range(7):
        w = np.where(weekday == wd, weights, 0.0)
        c, h = w @ contacts, w @ handled
        day_mean = (h.sum() + prior * overall) / (c.sum() + prior)
        out[wd] = (h + prior * day_mean) / (c + prior)
    # The profile averages many weeks; handle time drifts (training, new tools), so
    # rescale it to the last few weeks' level.
    recent = normal & (np.arange(len(normal)) >= len(normal) - 7 * settings.aht_level_weeks)
    expected = float((contacts[recent] * out[weekday[recent]]).sum())
    if expected > 0:
        out = out * float(handled[recent].sum()) / expected
    return out


def _scale(factors: np.ndarray, weekday: int, exponent: float) -> float:
    factor = float(factors[weekday])
    return factor**exponent if factor > 0 else 1.0


HOLIDAY_EXPONENTS = (0.0, 0.25, 0.5, 0.75, 1.0)
MIN_WEEKDAY_SPREAD = 1.2
"""Holidays in history must fall on weekdays whose factors differ at least this much
(max / min) before history can tell whether holidays follow their weekday."""


def _holiday_weekday_exponent(effects: list[HolidayEffect], factors: np.ndarray) -> float:
    """How far holidays follow their weekday's volume, by leave-one-holiday-out error.

    Each history holiday's day total is predicted from the geometric mean ratio of the
    others, for each exponent in :data:`HOLIDAY_EXPONENTS`; the smallest total absolute
    error wins. When the holidays seen fall on too few or too alike weekdays to tell,
    0 is kept: a holiday is a day off, and days off look alike whatever the weekday.
    """
    seen = [float(factors[e.day.weekday()]) for e in effects if factors[e.day.weekday()] > 0]
    if len(seen) < 3 or max(seen) < MIN_WEEKDAY_SPREAD * min(seen):
        return 0.0
    best, best_error = 0.0, math.inf
    for exponent in HOLIDAY_EXPONENTS:
        scales = np.array([_scale(factors, e.day.weekday(), exponent) for e in effects])
        logs = np.log([e.level_ratio for e in effects]) - np.log(scales)
        error = 0.0
        for k, effect in enumerate(effects):
            guess = math.exp(float(np.delete(logs, k).mean())) * scales[k]
            error += abs(guess - effect.level_ratio)
        if error < best_error - 1e-12:
            best, best_error = exponent, error
    return best


def _holiday_shape(
    effects: list[HolidayEffect], shapes: np.ndarray, settings: ForecastSettings
) -> tuple[np.ndarray | None, float]:
    """The average holiday profile and its leave-one-out blend weight against weekday shapes."""
    if not effects:
        return None, 0.0
    profiles = np.array([e.profile for e in effects])
    mean = _weighted_profile(profiles, np.ones(len(effects)))
    if len(effects) < 2:
        return mean, 0.0
    best_weight, best_error = 0.0, math.inf
    for weight in (0.0, 0.25, 0.5, 0.75, 1.0):
        error = 0.0
        for k, effect in enumerate(effects):
            others = np.delete(profiles, k, axis=0)
            loo = _weighted_profile(others, np.ones(len(others)))
            guess = weight * loo + (1 - weight) * shapes[effect.day.weekday()]
            error += float(np.nansum(np.abs(effect.profile - guess)))
        if error < best_error - 1e-12:
            best_weight, best_error = weight, error
    return mean, best_weight


# --------------------------------------------------------------------------- predict


def _predict_days(
    model: ChannelModel,
    days: list[date],
    calendar: HolidayCalendar,
    week_start: int,
    settings: ForecastSettings,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per local date: expected total, intraday shape and AHT profile."""
    slots = model.shapes.shape[1]
    totals = np.zeros(len(days))
    shapes = np.zeros((len(days), slots))
    aht = np.zeros((len(days), slots))
    phi = settings.trend_damping
    for k, day in enumerate(days):
        ahead = max(0, int(_week(np.array([day.toordinal()]), week_start)[0]) - model.last_week)
        damped = sum(phi**i for i in range(1, ahead + 1))
        wd = day.weekday()
        level = model.level * math.exp(model.weekly_trend * damped)
        shape = model.shapes[wd]
        aht[k] = model.aht[wd]
        name = calendar.name(day)
        if name is not None:
            ratio, shape = _holiday_day(model, name, day, settings)
            totals[k] = model.holiday_total(ratio, wd, level)
            aht[k] = aht[k] * model.holiday_aht_factor
        else:
            totals[k] = level * model.weekday_factors[wd] * _neighbour_effect(model, calendar, day)
        shapes[k] = shape
    return totals, shapes, aht


def _holiday_day(
    model: ChannelModel, name: str, day: date, settings: ForecastSettings
) -> tuple[float, np.ndarray]:
    """Volume ratio (on the model's footing) and intraday shape of a horizon holiday."""
    shape = model.shapes[day.weekday()]
    if model.holiday_shape is not None:
        w = model.holiday_shape_weight
        shape = w * model.holiday_shape + (1 - w) * shape
    effect = model.holiday_effect(name, day)
    if effect is None:
        return model.general_holiday_ratio, shape
    own = _smooth(effect.profile)
    w = settings.same_holiday_shape_weight
    blended = w * own + (1 - w) * shape
    return model.ratio(effect), blended / blended.sum()


def _neighbour_effect(model: ChannelModel, calendar: HolidayCalendar, day: date) -> float:
    """Volume ratio of a normal day next to a holiday (1 when not next to one).

    The day after a holiday takes precedence over the day before the next one.
    """
    for offset, general in ((-1, model.general_after_ratio), (1, model.general_before_ratio)):
        name = calendar.name(day + timedelta(days=offset))
        if name is None:
            continue
        effect = model.holiday_effect(name, day + timedelta(days=offset))
        if effect is None:
            return general
        ratio = effect.after_ratio if offset == -1 else effect.before_ratio
        return ratio if ratio is not None else 1.0
    return 1.0


def history_span(history: pd.DataFrame, config: Config) -> tuple[date, date] | None:
    """First and last whole local business dates that history covers (None: none)."""
    if history.empty:
        return None
    zone = config.site.zone
    stamps = pd.DatetimeIndex(history["interval_start"])
    first = stamps.min()
    after = stamps.max() + pd.Timedelta(minutes=config.site.interval_minutes)
    ordinals, minutes = _local_ordinal_minute(pd.DatetimeIndex([first, after]), zone)
    first_day = int(ordinals[0]) + (1 if minutes[0] > 0 else 0)
    last_day = int(ordinals[1]) - 1  # `after` is at or past that date's midnight
    if last_day < first_day:
        return None
    return date.fromordinal(first_day), date.fromordinal(last_day)


def _channel_rows(history: pd.DataFrame, channel: str) -> pd.DataFrame:
    rows = history[history["channel"] == channel]
    return rows.sort_values("interval_start", kind="stable")


def forecast(
    history: pd.DataFrame,
    config: Config,
    calendar: HolidayCalendar,
    start: date,
    weeks: int,
    *,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Forecast contacts and AHT for every interval of the horizon, per channel.

    Only history before the horizon's first instant is used. Returns the columns
    ``interval_start`` (tz-aware UTC), ``channel``, ``contacts`` (non-negative float)
    and ``aht_seconds``, sorted by interval then channel in config order.
    Raises ``ValueError`` when a configured channel has no usable history.
    """
    zone = config.site.zone
    intervals = horizon_intervals(config, calendar, start, weeks)
    cutoff = local_instant(start, 0, zone)
    past = history[history["interval_start"] < cutoff]
    ordinals, minutes = _local_ordinal_minute(intervals, zone)
    first = int(ordinals.min())
    days = [date.fromordinal(o) for o in range(first, int(ordinals.max()) + 1)]
    day_idx = ordinals - first
    slot = minutes // config.site.interval_minutes
    frames = []
    for channel in config.channel_names:
        rows = _channel_rows(past, channel)
        if rows.empty:
            raise ValueError(f"channel {channel}: no history before {start.isoformat()}")
        if rows["contacts"].sum() <= 0:
            log.warning("channel %s: no contacts in history; forecasting none", channel)
            contacts = np.zeros(len(intervals))
            aht = np.zeros((len(days), 1440 // config.site.interval_minutes))
        else:
            model = fit_channel(rows, channel, config, calendar, settings)
            totals, shapes, aht = _predict_days(
                model, days, calendar, config.site.week_start_index, settings
            )
            contacts = np.maximum(totals[day_idx] * shapes[day_idx, slot], 0.0)
        frames.append(
            pd.DataFrame(
                {
                    "interval_start": intervals,
                    "channel": channel,
                    "contacts": contacts,
                    "aht_seconds": aht[day_idx, slot],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True)
    order = {name: i for i, name in enumerate(config.channel_names)}
    out["_order"] = out["channel"].map(order)
    out = out.sort_values(["interval_start", "_order"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- backtest


def wape(actual: np.ndarray, predicted: np.ndarray) -> float | None:
    """Weighted absolute percentage error ``sum|predicted - actual| / sum(actual)``.

    ``None`` when the actuals sum to zero (nothing to weigh the errors by).
    """
    total = float(np.sum(actual))
    if total <= 0:
        return None
    return float(np.sum(np.abs(np.asarray(predicted) - np.asarray(actual)))) / total


@dataclass(frozen=True)
class Accuracy:
    """WAPE of the model and of seasonal-naive on one channel and one set of days."""

    channel: str
    model_wape: float | None
    naive_wape: float | None

    @property
    def improvement(self) -> float | None:
        """Relative improvement over seasonal-naive: ``1 - model / naive``."""
        if self.model_wape is None or not self.naive_wape:
            return None
        return 1.0 - self.model_wape / self.naive_wape


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """A held-out period, forecast from the history before it, scored per channel."""

    start: date
    end: date
    """The last held-out local date."""
    weeks: int
    holiday_dates: tuple[date, ...]
    overall: tuple[Accuracy, ...]
    holidays: tuple[Accuracy, ...]
    """Scores on the held-out holiday dates alone (WAPE ``None`` when there are none)."""
    evaluation: pd.DataFrame = field(repr=False)
    """Per held-out interval: interval_start, channel, holiday, actual, model, naive."""


def seasonal_naive(rows: pd.DataFrame, config: Config, intervals: pd.DatetimeIndex) -> np.ndarray:
    """The same local interval one week earlier, for each of ``intervals``.

    Same local wall-clock slot seven local days earlier (so a DST change does not
    shift it by an hour); where that slot does not exist, the UTC instant 168 hours
    earlier; NaN when history has neither.
    """
    zone = config.site.zone
    interval = config.site.interval_minutes
    matrix = _day_matrix(rows, zone, interval)
    ordinals, minutes = _local_ordinal_minute(intervals, zone)
    idx = ordinals - 7 - matrix.first_ordinal
    slot = minutes // interval
    inside = (idx >= 0) & (idx < matrix.contacts.shape[0])
    out = np.full(len(intervals), np.nan)
    out[inside] = matrix.contacts[idx[inside], slot[inside]]
    missing = np.isnan(out)
    if missing.any():
        earlier = intervals[missing] - pd.Timedelta(days=7)
        series = pd.Series(matrix.grid_contacts, index=matrix.grid)
        out[missing] = series.reindex(earlier).to_numpy(dtype=float)
    return out


def backtest(
    history: pd.DataFrame,
    config: Config,
    calendar: HolidayCalendar,
    weeks: int,
    end: date | None = None,
    *,
    settings: ForecastSettings = DEFAULT_SETTINGS,
) -> BacktestResult:
    """Hold out ``weeks`` weeks ending on local date ``end`` (default: history's last
    whole local day), forecast them from the history before, and score by WAPE.

    Seasonal-naive is the actual of the same local interval one week earlier (held-out
    weeks included, so it always looks only one week back: a demanding baseline).
    Intervals scored: the held-out local dates' intervals present in history.
    """
    zone = config.site.zone
    interval = config.site.interval_minutes
    if end is None:
        span = history_span(history, config)
        if span is None:
            raise ValueError("history has no whole local day")
        end = span[1]
    start = end - timedelta(days=7 * weeks - 1)
    predicted = forecast(history, config, calendar, start, weeks, settings=settings)
    frames = []
    for channel in config.channel_names:
        rows = _channel_rows(history, channel)
        matrix = _day_matrix(rows, zone, interval)
        ordinals, _ = _local_ordinal_minute(matrix.grid, zone)
        held = (ordinals >= start.toordinal()) & (ordinals <= end.toordinal())
        intervals = matrix.grid[held]
        model = (
            predicted[predicted["channel"] == channel]
            .set_index("interval_start")["contacts"]
            .reindex(intervals)
            .to_numpy(dtype=float)
        )
        frame = pd.DataFrame(
            {
                "interval_start": intervals,
                "channel": channel,
                "holiday": [calendar.is_holiday(date.fromordinal(int(o))) for o in ordinals[held]],
                "actual": matrix.grid_contacts[held],
                "model": model,
                "naive": seasonal_naive(rows, config, intervals),
            }
        )
        frames.append(frame.dropna(subset=["model", "naive"]))
    evaluation = pd.concat(frames, ignore_index=True)
    holiday_dates = tuple(d for d in Horizon(start, weeks).dates if calendar.is_holiday(d))
    return BacktestResult(
        start=start,
        end=end,
        weeks=weeks,
        holiday_dates=holiday_dates,
        overall=tuple(_score(evaluation, c) for c in config.channel_names),
        holidays=tuple(_score(evaluation[evaluation["holiday"]], c) for c in config.channel_names),
        evaluation=evaluation,
    )


def _score(evaluation: pd.DataFrame, channel: str) -> Accuracy:
    part = evaluation[evaluation["channel"] == channel]
    actual = part["actual"].to_numpy()
    return Accuracy(
        channel,
        wape(actual, part["model"].to_numpy()),
        wape(actual, part["naive"].to_numpy()),
    )
