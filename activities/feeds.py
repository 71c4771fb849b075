"""The iCalendar feed of public activities (RFC 5545, written by the icalendar package)."""

import datetime

from django.http import HttpRequest, HttpResponse
from icalendar import Calendar, Event

from .models import Activity


def activity_uid(activity: Activity, host: str) -> str:
    """The same for an activity whatever else changes, so calendars update it in place."""
    return f"activity-{activity.pk}@{host}"


def calendar(request: HttpRequest) -> HttpResponse:
    """Confirmed planned and held activities as all-day events; nothing about people."""
    host = request.get_host().split(":")[0]
    feed = Calendar()
    feed.add("prodid", "-//SOCORE portal//Activities//EN")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", "SOCORE activities")
    activities = (
        Activity.objects.public()
        .select_related("host_partner", "region")
        .only(
            "pk",
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "is_online",
            "updated_at",
            "host_partner__name",
            "region__name",
        )
        .order_by("starts_on", "pk")
    )
    for activity in activities.iterator(chunk_size=500):
        event = Event()
        event.add("uid", activity_uid(activity, host))
        event.add("dtstamp", activity.updated_at.astimezone(datetime.UTC))
        event.add("last-modified", activity.updated_at.astimezone(datetime.UTC))
        event.add("summary", activity.title)
        event.add("dtstart", activity.starts_on)
        # DTEND of an all-day event is the day after the last one (exclusive).
        event.add("dtend", activity.ends_on + datetime.timedelta(days=1))
        event.add(
            "location", "Online" if activity.is_online and not activity.place else activity.place
        )
        event.add("url", request.build_absolute_uri(activity.get_absolute_url()))
        event.add(
            "description",
            f"{activity.get_kind_display()} — {activity.host_partner.name}, {activity.region.name}",
        )
        event.add("categories", [activity.get_kind_display()])
        event.add("status", "CONFIRMED")
        feed.add_component(event)
    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="socore-activities.ics"'
    return response
