"""The security headers of every page the permission matrix reaches with 200, as each role
that reaches it (each object once, whoever's it is), over HTTPS as the portal is served
(DEBUG off, the production settings).

Every such response carries a Content-Security-Policy whose scripts are the site's own files
(no 'unsafe-inline', no 'unsafe-eval'), refuses to be framed, asks for HTTPS for a year
(HSTS), forbids content sniffing and names a referrer policy. A response to a signed-in person,
and every account page, is `Cache-Control: private, no-store`: each signed-in page names its
reader, and most show more of them (answers, results, drafts, a region's figures).
(`check --deploy` is tests/socore/test_settings.py.)
"""

import pytest

from tests.socore.matrix import addresses, matrix_world, rules_of, send
from tests.socore.test_access_matrix import OK, TABLE

SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
ONE_YEAR = 365 * 24 * 3600


def policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(response, personal: bool) -> list[str]:
    problems = []
    csp = policy(response.get("Content-Security-Policy", ""))
    if not csp:
        problems.append("no Content-Security-Policy")
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        problems.append("no script-src (nor default-src) in the CSP")
    elif {"'unsafe-inline'", "'unsafe-eval'"} & set(scripts):
        problems.append(f"scripts allowed inline or by eval: script-src {' '.join(scripts)}")
    if csp.get("frame-ancestors") != ["'none'"] and response.get("X-Frame-Options") != "DENY":
        problems.append("may be framed: neither frame-ancestors 'none' nor X-Frame-Options DENY")
    hsts = dict(
        (item.strip().split("=", 1) + [""])[:2]
        for item in response.get("Strict-Transport-Security", "").split(";")
        if item.strip()
    )
    if int(hsts.get("max-age") or 0) < ONE_YEAR or "includeSubDomains" not in hsts:
        problems.append(f"HSTS missing or short: {response.get('Strict-Transport-Security')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("Referrer-Policy") not in SAFE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}")
    if personal:
        directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
        if not {"private", "no-store"} <= directives:
            problems.append(f"personal, but Cache-Control {response.get('Cache-Control')!r}")
    return problems


def none(response) -> bool:
    return False


def reached_by_someone(name: str) -> bool:
    rule = TABLE[name].get
    rules = (
        rule.values() if TABLE[name].objects and set(TABLE[name].objects) & set(rule) else [rule]
    )
    return any(OK in outcomes for by_kind in rules for outcomes in by_kind.values())


world = matrix_world()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(name for name in TABLE if reached_by_someone(name)))
def test_every_page_served_with_200_carries_the_security_headers(world, name):
    problems, cells, served = [], 0, set()
    row = TABLE[name]
    for address in addresses(world, name, row):
        (_method, expected), *_post = rules_of(row, address)
        # Headers depend on the page and on who asks, not on whose object it is: the other
        # region's object only where the own one is not served.
        if expected != OK or (address.role, address.label) in served:
            continue
        served.add((address.role, address.label))
        client = world.clients[address.role]
        response, _ = send(world, client, "get", address.url, None, check_rows=none, secure=True)
        cells += 1
        assert response.status_code == OK, f"{address}: {response.status_code}"
        personal = address.role != "anonymous" or address.url.startswith("/accounts/")
        problems += [f"{address}: {problem}" for problem in header_problems(response, personal)]
    world.cells += cells
    assert not problems, "\n".join(problems)
