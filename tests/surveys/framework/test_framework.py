"""The competence framework: frozen versions, new versions, management pages, JSON in and out."""

import io
import json

import pytest

from surveys.framework.io import FrameworkFileError, export_framework, import_framework
from surveys.i18n import localized
from surveys.models import Area, Competence, Framework, FrameworkFrozen, LevelDescriptor
from tests.conftest import ROLES, row_counts

OK, FORBIDDEN, LOGIN = 200, 403, "login"
COORDINATORS_ONLY = {**dict.fromkeys(ROLES, FORBIDDEN), "anonymous": LOGIN}
COORDINATORS_ONLY["consortium_coordinator"] = OK


@pytest.fixture
def published(db) -> Framework:
    """The default framework, seeded and frozen by the migrations."""
    return Framework.objects.get(version=1)


@pytest.fixture
def draft(published) -> Framework:
    return published.new_version()


def structure(framework: Framework) -> dict:
    data = export_framework(framework)
    del data["version"]
    return data


def upload(client, content: bytes):
    file = io.BytesIO(content)
    file.name = "framework.json"
    return client.post("/framework/manage/import/", {"file": file})


# Freezing and versions


def test_default_framework_is_published_frozen_and_has_five_levels_everywhere(published):
    assert published.is_frozen
    assert Framework.objects.current() == published
    competences = Competence.objects.filter(area__framework=published)
    assert competences.count() == 24
    assert LevelDescriptor.objects.filter(competence__in=competences).count() == 24 * 5


def test_a_frozen_version_refuses_every_change(published):
    area = published.areas.first()
    competence = area.competences.first()
    level = competence.levels.first()
    for change in (
        published.save,
        area.save,
        competence.save,
        level.save,
        level.delete,
        competence.delete,
        area.delete,
        published.delete,
        lambda: Area.objects.create(framework=published, code="A9", name="New"),
    ):
        with pytest.raises(FrameworkFrozen, match="is frozen"):
            change()
    assert LevelDescriptor.objects.filter(competence__area__framework=published).count() == 120


def test_new_version_copies_everything_into_a_draft(published):
    competence = Competence.objects.filter(area__framework=published).get(code="2.1")
    Competence.objects.filter(pk=competence.pk).update(
        translations={"pl": {"name": "Praca w zespołach międzysektorowych"}}
    )
    copy = published.new_version()
    assert copy.version == 2
    assert copy.status == Framework.Status.DRAFT
    assert not copy.is_frozen
    assert structure(copy) == structure(published)
    copied = Competence.objects.get(area__framework=copy, code="2.1")
    assert copied.pk != competence.pk
    assert copied.translations["pl"]["name"] == "Praca w zespołach międzysektorowych"
    assert copied.references == competence.references


def test_publishing_a_draft_makes_it_current_and_frozen(client_as, draft):
    client = client_as("consortium_coordinator")
    response = client.post(f"/framework/manage/{draft.version}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_frozen
    assert Framework.objects.current() == draft


def test_a_draft_without_all_levels_is_not_published(client_as, draft):
    LevelDescriptor.objects.filter(competence__area__framework=draft, level=3).first().delete()
    client = client_as("consortium_coordinator")
    response = client.post(f"/framework/manage/{draft.version}/publish/", follow=True)
    assert "five level descriptors" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.is_frozen


# Management pages as every role


@pytest.mark.parametrize("role", [r for r in ROLES if r != "consortium_coordinator"])
@pytest.mark.parametrize("action", ["publish", "version", "area", "levels"])
def test_every_framework_change_is_refused_to_other_roles_and_changes_nothing(
    client_as, draft, role, action
):
    area = draft.areas.first()
    competence = area.competences.first()
    path, data = {
        "publish": (f"/framework/manage/{draft.version}/publish/", {}),
        "version": (
            f"/framework/manage/{draft.version}/",
            {"framework-name": "Taken over", "areas-TOTAL_FORMS": "0", "areas-INITIAL_FORMS": "0"},
        ),
        "area": (
            f"/framework/manage/areas/{area.pk}/",
            {"competences-TOTAL_FORMS": "0", "competences-INITIAL_FORMS": "0"},
        ),
        "levels": (
            f"/framework/manage/competences/{competence.pk}/levels/",
            {f"level_{n}": "Taken over" for n in range(1, 6)},
        ),
    }[action]
    client = client_as(role)
    before, exported = row_counts(), structure(draft)

    response = client.post(path, data)

    assert_refused(response, role)
    assert row_counts() == before
    draft.refresh_from_db()
    assert structure(draft) == exported and not draft.is_frozen


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", ["manage", "version", "area", "levels"])
def test_management_pages_as_role(client_as, draft, role, page):
    area = draft.areas.first()
    path = {
        "manage": "/framework/manage/",
        "version": f"/framework/manage/{draft.version}/",
        "area": f"/framework/manage/areas/{area.pk}/",
        "levels": f"/framework/manage/competences/{area.competences.first().pk}/levels/",
    }[page]
    response = client_as(role).get(path)
    expected = COORDINATORS_ONLY[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected


def assert_refused(response, role):
    """A visitor is sent to sign in; a signed-in user without the right is refused."""
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_only_consortium_coordinators_create_versions(client_as, published, role):
    response = client_as(role).post(f"/framework/manage/{published.version}/new-version/")
    if role == "consortium_coordinator":
        assert response.status_code == 302
        assert Framework.objects.filter(version=2).exists()
    else:
        assert_refused(response, role)
        assert not Framework.objects.filter(version=2).exists()


@pytest.mark.parametrize("role", ROLES)
def test_export_of_a_draft_is_for_consortium_coordinators_only(client_as, draft, role):
    response = client_as(role).get(f"/framework/{draft.version}/export.json")
    assert response.status_code == (200 if role == "consortium_coordinator" else 404)


def test_export_of_the_published_version_is_public(client, published):
    response = client.get("/framework/1/export.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["areas"][0]["competences"][0]["levels"]["5"]


def test_public_page_shows_level_descriptors_and_the_download_link(client, published):
    level = LevelDescriptor.objects.get(
        competence__area__framework=published, competence__code="5.2", level=5
    )
    content = client.get("/framework/").content.decode()
    assert "<details>" in content
    assert level.text in content
    assert "/framework/1/export.json" in content


# Editing


def test_editing_a_frozen_version_is_refused_with_a_message(client_as, published):
    area = published.areas.first()
    competence = area.competences.first()
    client = client_as("consortium_coordinator")
    data = {f"level_{n}": f"Changed {n}" for n in range(1, 6)}
    response = client.post(f"/framework/manage/competences/{competence.pk}/levels/", data)
    content = response.content.decode()
    assert "is frozen" in content
    assert "Changed 3" in content  # what was typed stays on the page
    assert not LevelDescriptor.objects.filter(text__startswith="Changed").exists()


def test_level_descriptors_of_a_draft_are_edited_and_typed_text_kept_on_error(client_as, draft):
    competence = Competence.objects.get(area__framework=draft, code="1.1")
    client = client_as("consortium_coordinator")
    path = f"/framework/manage/competences/{competence.pk}/levels/"
    typed = {f"level_{n}": f"Typed level {n}" for n in range(1, 5)} | {"level_5": ""}
    response = client.post(path, typed)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Typed level 4" in content and "This field is required" in content
    assert not LevelDescriptor.objects.filter(text__startswith="Typed").exists()

    response = client.post(path, typed | {"level_5": "Typed level 5"})
    assert response.status_code == 302
    assert list(competence.levels.values_list("text", flat=True)) == [
        f"Typed level {n}" for n in range(1, 6)
    ]


def competence_formset_data(area, **changes) -> dict:
    competences = list(area.competences.order_by("position", "pk"))
    data = {
        "competences-TOTAL_FORMS": str(len(competences) + 1),
        "competences-INITIAL_FORMS": str(len(competences)),
        "competences-MIN_NUM_FORMS": "0",
        "competences-MAX_NUM_FORMS": "1000",
        # The empty extra form, as a browser sends it: its position shows the default.
        f"competences-{len(competences)}-position": "0",
    }
    for index, competence in enumerate(competences):
        prefix = f"competences-{index}-"
        data |= {
            prefix + "id": str(competence.pk),
            prefix + "area": str(area.pk),
            prefix + "position": str(competence.position),
            prefix + "code": competence.code,
            prefix + "name": competence.name,
            prefix + "description": competence.description,
            prefix + "references": "\n".join(competence.references),
        }
    return data | changes


def test_area_page_reorders_and_edits_competences_and_references(client_as, draft):
    area = draft.areas.get(code="A1")
    client = client_as("consortium_coordinator")
    data = competence_formset_data(
        area,
        **{
            "competences-0-position": "9",
            "competences-0-references": "ResearchComp: One\n\n  LifeComp: Two  ",
        },
    )
    response = client.post(f"/framework/manage/areas/{area.pk}/", data)
    assert response.status_code == 302
    first = Competence.objects.get(area=area, code="1.1")
    assert first.references == ["ResearchComp: One", "LifeComp: Two"]
    assert list(area.competences.order_by("position").values_list("code", flat=True))[-1] == "1.1"


def test_area_page_refuses_a_code_used_elsewhere_and_keeps_what_was_typed(client_as, draft):
    area = draft.areas.get(code="A1")
    client = client_as("consortium_coordinator")
    data = competence_formset_data(
        area,
        **{
            "competences-4-position": "5",
            "competences-4-code": "2.1",
            "competences-4-name": "A new competence typed here",
            "competences-4-description": "Its description",
        },
    )
    response = client.post(f"/framework/manage/areas/{area.pk}/", data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Another competence of this version has this code" in content
    assert "A new competence typed here" in content
    assert area.competences.count() == 4


def test_framework_page_edits_name_and_areas(client_as, draft):
    client = client_as("consortium_coordinator")
    areas = list(draft.areas.order_by("position"))
    data = {
        "framework-name": "Renamed framework",
        "framework-description": "New description",
        "areas-TOTAL_FORMS": str(len(areas)),
        "areas-INITIAL_FORMS": str(len(areas)),
        "areas-MIN_NUM_FORMS": "0",
        "areas-MAX_NUM_FORMS": "1000",
    }
    for index, area in enumerate(areas):
        data |= {
            f"areas-{index}-id": str(area.pk),
            f"areas-{index}-framework": str(draft.pk),
            f"areas-{index}-position": str(area.position),
            f"areas-{index}-code": area.code,
            f"areas-{index}-name": area.name,
            f"areas-{index}-description": area.description,
        }
    data["areas-0-name"] = ""
    response = client.post(f"/framework/manage/{draft.version}/", data)
    assert response.status_code == 200
    assert "Renamed framework" in response.content.decode()
    draft.refresh_from_db()
    assert draft.name != "Renamed framework"

    data["areas-0-name"] = "Talking with partners"
    assert client.post(f"/framework/manage/{draft.version}/", data).status_code == 302
    draft.refresh_from_db()
    assert draft.name == "Renamed framework"
    assert draft.areas.get(code="A1").name == "Talking with partners"


# Export and import


def test_export_then_import_gives_the_same_structure(client_as, published):
    LevelDescriptor.objects.filter(competence__area__framework=published, level=1).update(
        translations={"pl": {"text": "Nowicjusz"}}
    )
    client = client_as("consortium_coordinator")
    exported = client.get("/framework/1/export.json").content
    response = upload(client, exported)
    assert response.status_code == 302
    imported = Framework.objects.get(version=2)
    assert imported.status == Framework.Status.DRAFT
    assert structure(imported) == structure(published)


def valid_file() -> dict:
    return export_framework(Framework.objects.get(version=1))


def broken_area_code(data):
    del data["areas"][2]["competences"][0]["code"]


def wrong_level(data):
    data["areas"][0]["competences"][1]["levels"]["6"] = "Beyond expert"


def duplicate_code(data):
    data["areas"][3]["competences"][2]["code"] = "1.1"


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (broken_area_code, "areas[2].competences[0].code: missing"),
        (wrong_level, "areas[0].competences[1].levels: level &quot;6&quot; is not one of 1 to 5"),
        (duplicate_code, "areas[3].competences[2].code: duplicate competence code &quot;1.1&quot;"),
    ],
)
def test_a_malformed_file_names_the_field_and_imports_nothing(
    client_as, published, break_it, message
):
    data = valid_file()
    break_it(data)
    counts = (Framework.objects.count(), Competence.objects.count())
    response = upload(client_as("consortium_coordinator"), json.dumps(data).encode())
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Framework.objects.count(), Competence.objects.count()) == counts


def test_bad_json_names_the_line_and_imports_nothing(client_as, published):
    content = b'{\n  "name": "Framework",\n  "areas": [\n    {"code": "A1",}\n  ]\n}\n'
    response = upload(client_as("consortium_coordinator"), content)
    assert response.status_code == 400
    assert "Not valid JSON: line 4, column" in response.content.decode()
    assert Framework.objects.count() == 1


def test_a_text_too_long_for_the_database_is_named_before_anything_is_saved(published):
    data = valid_file()
    data["areas"][-1]["competences"][-1]["name"] = "x" * 201
    with pytest.raises(FrameworkFileError, match=r"areas\[5\].competences\[3\].name"):
        import_framework(json.dumps(data).encode())
    assert Framework.objects.count() == 1


def test_a_failure_late_in_the_import_leaves_nothing_half_imported(published, monkeypatch):
    saved = LevelDescriptor.objects.bulk_create
    calls = []

    def fail_on_the_last_competence(objects):
        calls.append(1)
        if len(calls) == 24:
            raise RuntimeError("the database went away")
        return saved(objects)

    monkeypatch.setattr(LevelDescriptor.objects, "bulk_create", fail_on_the_last_competence)
    with pytest.raises(RuntimeError):
        import_framework(json.dumps(valid_file()).encode())
    assert Framework.objects.count() == 1
    assert Competence.objects.count() == 24


@pytest.mark.parametrize("role", [r for r in ROLES if r != "consortium_coordinator"])
def test_only_consortium_coordinators_import(client_as, published, role):
    response = upload(client_as(role), json.dumps(valid_file()).encode())
    assert_refused(response, role)
    assert Framework.objects.count() == 1


# Translations


def test_localized_uses_polish_when_present_and_falls_back_to_english(published):
    competence = Competence.objects.get(area__framework=published, code="1.3")
    competence.translations = {"pl": {"name": "Aktywne słuchanie i empatia"}}
    assert localized(competence, "name", "pl") == "Aktywne słuchanie i empatia"
    assert localized(competence, "name", "pl-pl") == "Aktywne słuchanie i empatia"
    assert localized(competence, "description", "pl") == competence.description
    assert localized(competence, "name", "it") == "Active listening and empathy"
    assert localized(competence, "name", "en") == "Active listening and empathy"
    assert localized(competence, "name", None) == "Active listening and empathy"


def test_public_page_shows_the_translation_of_the_active_language(client, published):
    Area.objects.filter(framework=published, code="A1").update(
        translations={"pl": {"name": "Komunikacja"}}
    )
    Area.objects.filter(framework=published, code="A2").update(translations={})
    content = client.get("/framework/", headers={"accept-language": "pl"}).content.decode()
    assert "Komunikacja" in content
    assert "Collaboration and networking" in content  # not translated: English


@pytest.mark.django_db
def test_practices_for_a_code_are_the_first_published_by_title_in_any_version(
    django_assert_num_queries,
):
    from surveys.models import published_practices_for
    from tests.factories.practices import PracticeFactory
    from tests.factories.surveys import small_framework

    old, new = small_framework(name="Older"), small_framework(name="Newer")
    first_old, first_new = (
        Competence.objects.get(area__framework=f, code="A1.1") for f in (old, new)
    )
    other = Competence.objects.get(area__framework=new, code="A1.2")
    # Tagged in either version, or in both (still one entry); drafts never.
    titles = ["Delta", "Alpha", "Charlie", "Bravo", "Echo"]
    for number, title in enumerate(titles):
        tags = [first_old, first_new] if number == 0 else [(first_old, first_new)[number % 2]]
        PracticeFactory(status="published", title=title, competences=[*tags, other])
    PracticeFactory(status="draft", title="Aaa draft", competences=[first_new, other])

    with django_assert_num_queries(2):
        found = published_practices_for(["A1.1", "A1.2", "A9.9"], per_code=3)

    expected = sorted(titles)[:3]
    assert [p.title for p in found["A1.1"]] == expected
    assert [p.title for p in found["A1.2"]] == expected
    assert found["A9.9"] == []
    assert found["A1.1"][0].region.name and found["A1.1"][0].partner.name  # no more queries
    assert [p.title for p in published_practices_for(["A1.1"])["A1.1"]] == sorted(titles)
