"""Sufficient statistics of a campaign's counted answers, stored per released snapshot.

The gap analysis, its breakdowns and the region comparison add up these rows instead of
reading every answer: per competence and background group, the number of ratings, their
sum and sum of squares on each scale, and the same for the current–importance pairs. A
campaign's rows carry the `state` of its counted responses (surveys.analysis.response_state)
they were computed from, and are computed again when it changes: when responses are
released, when the campaign closes, or after an erasure (surveys.analysis.forget_all).
"""

from django.db import models

from .campaigns import Campaign


class AnswerStatistics(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    state = models.CharField(max_length=80)
    # Empty on the rows that count respondents rather than the answers to one competence.
    competence_code = models.CharField(max_length=20, blank=True)
    # A background column is NULL where the row is over all its values (GROUPING SETS).
    organisation_type = models.CharField(max_length=30, null=True)
    role = models.CharField(max_length=30, null=True)
    experience = models.CharField(max_length=10, null=True)
    age_band = models.CharField(max_length=10, null=True)
    respondents = models.IntegerField(default=0)
    current_n = models.IntegerField(default=0)
    current_sum = models.BigIntegerField(default=0)
    current_squares = models.BigIntegerField(default=0)
    importance_n = models.IntegerField(default=0)
    importance_sum = models.BigIntegerField(default=0)
    importance_squares = models.BigIntegerField(default=0)
    required_n = models.IntegerField(default=0)
    required_sum = models.BigIntegerField(default=0)
    required_squares = models.BigIntegerField(default=0)
    pairs = models.IntegerField(default=0)
    gap_sum = models.BigIntegerField(default=0)
    gap_squares = models.BigIntegerField(default=0)
    pair_importance_sum = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["campaign", "competence_code"], name="statistics_of_campaign"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.competence_code or 'respondents'} {self.state}"
