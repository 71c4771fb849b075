"""Student's t quantile computed the slow way, for tests to check the analysis against: the
density integrated by Simpson's rule and the 0.975 point found by bisection. It shares
nothing with surveys.analysis.intervals (a table and a series expansion)."""

import functools
import math


def _density(x: float, df: float) -> float:
    log_scale = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_scale) * (1 + x * x / df) ** (-(df + 1) / 2)


def _cdf(t: float, df: float, steps: int = 1000) -> float:
    width = t / steps
    total = _density(0, df) + _density(t, df)
    for step in range(1, steps):
        total += (4 if step % 2 else 2) * _density(step * width, df)
    return 0.5 + total * width / 3


@functools.lru_cache
def t_975(df: float) -> float:
    low, high = 0.0, 20.0
    for _ in range(36):
        middle = (low + high) / 2
        if _cdf(middle, df) < 0.975:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def margin(values: list[float]) -> float:
    """Half the 95 % interval of the mean of `values`."""
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return t_975(n - 1) * sd / math.sqrt(n)


def welch_margin(first: list[float], second: list[float]) -> float:
    """Half Welch's 95 % interval of mean(first) − mean(second), with the degrees of freedom
    rounded down below 6 as the analysis does (a wider interval)."""

    def variance_of_mean(values):
        n = len(values)
        mean = sum(values) / n
        return sum((v - mean) ** 2 for v in values) / (n - 1) / n, n

    (a, n1), (b, n2) = variance_of_mean(first), variance_of_mean(second)
    df = (a + b) ** 2 / (a**2 / (n1 - 1) + b**2 / (n2 - 1))
    return t_975(math.floor(df) if df < 6 else df) * math.sqrt(a + b)
