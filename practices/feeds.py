from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import GoodPractice, PolicyBrief


class NewPracticesFeed(Feed):
    feed_type = Atom1Feed
    title = _("SOCORE: newly published good practices")
    subtitle = _("Good practices in soft and social competences for research and innovation.")
    link = reverse_lazy("practices:catalogue")

    def items(self):
        return (
            GoodPractice.objects.published().select_related("region").order_by("-published_at")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary_en or item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [item.region.name]


class NewBriefsFeed(Feed):
    feed_type = Atom1Feed
    title = _("SOCORE: newly published policy briefs")
    subtitle = _("Recommendations for regional policy on the competences of RII staff.")
    link = reverse_lazy("briefs:list")

    def items(self):
        return (
            PolicyBrief.objects.published()
            .prefetch_related("regions")
            .order_by("-published_at")[:30]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text: the key messages, then the English summary where the brief has one.
        return " ".join([*item.key_messages, item.summary_en]).strip()

    def item_author_name(self, item):
        return item.authors

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [region.name for region in item.regions.all()]
