"""95 % confidence intervals of means, so that a difference of 0.1 between two competences is
not read as a finding.

The interval of a mean is mean ± t · sd / √n, with t the 0.975 quantile of Student's t
distribution with n − 1 degrees of freedom; of a difference of two independent means (the
market gap R − C), Welch's: ± t · √(sd₁²/n₁ + sd₂²/n₂) with the Welch–Satterthwaite degrees of
freedom. Every input (n, mean, sd) comes from the SQL aggregates the analysis already makes.
"""

import math

# The 0.975 quantile of Student's t for 1 to 5 degrees of freedom, where the expansion below
# is not close enough.
T_975_SMALL = {1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706}
Z_975 = 1.959963984540054


def t_quantile(degrees_of_freedom: float) -> float:
    """The 0.975 quantile of Student's t: the table below 6 degrees of freedom (a fraction
    rounded down, which widens the interval), from 6 on the Cornish–Fisher expansion
    (Abramowitz & Stegun 26.7.5), within 0.0002 of the exact value."""
    if degrees_of_freedom < 1:
        raise ValueError("a t quantile needs at least one degree of freedom")
    if degrees_of_freedom < 6:
        return T_975_SMALL[math.floor(degrees_of_freedom)]
    z, df = Z_975, degrees_of_freedom
    terms = (
        (z**3 + z) / 4,
        (5 * z**5 + 16 * z**3 + 3 * z) / 96,
        (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384,
        (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160,
    )
    return z + sum(term / df**power for power, term in enumerate(terms, start=1))


def margin_of_mean(n: int, sd: float | None) -> float | None:
    """Half the width of the 95 % interval of a mean of `n` values with sample sd `sd`."""
    if sd is None or n < 2:
        return None
    return t_quantile(n - 1) * sd / math.sqrt(n)


def margin_of_difference(
    first_n: int, first_sd: float | None, second_n: int, second_sd: float | None
) -> float | None:
    """Half the width of Welch's 95 % interval of the difference of two independent means."""
    if first_sd is None or second_sd is None or first_n < 2 or second_n < 2:
        return None
    first, second = first_sd**2 / first_n, second_sd**2 / second_n
    if first + second == 0:
        return 0.0
    degrees = (first + second) ** 2 / (first**2 / (first_n - 1) + second**2 / (second_n - 1))
    return t_quantile(degrees) * math.sqrt(first + second)
