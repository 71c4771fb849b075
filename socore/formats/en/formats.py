"""English as Europeans write it: "20 Nov 2026", "20/11/2026", 24-hour times (Django's en_GB
formats), for the portal's English pages, PDFs and emails instead of US dates."""

from django.conf.locale.en_GB.formats import *  # noqa: F403

# Times on the 24-hour clock, as everywhere in the consortium ("14:30", not "2:30 p.m.").
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
