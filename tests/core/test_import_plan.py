"""The import plan: built once from the person's choices, immutable, with one rule for region and strictness."""

import ast
import dataclasses
from pathlib import Path

import pytest

from contactdesk.core.import_plan import FileChoice, build_plan, plan_source, read_file
from contactdesk.core.importer import run_import
from contactdesk.core.phone import DEFAULT_REGION, PhoneNormalizer, UnknownRegion, phone_settings
from contactdesk.core.result import BAD_REQUEST

WIZARD = Path(__file__).parents[2] / "src" / "contactdesk" / "gui" / "wizard"


@pytest.mark.parametrize(
    ("region", "strict", "expected"),
    [
        ("us", 0, ("US", False)),
        ("GB", 1, ("GB", True)),
        (None, None, (DEFAULT_REGION, False)),
        ("", True, ("US", True)),
    ],
)
def test_region_and_strictness_are_normalized_in_one_place(region, strict, expected):
    assert phone_settings(region, strict) == expected
    normalizer = PhoneNormalizer(region, strict)
    assert (normalizer.region, normalizer.strict) == expected


def test_an_unknown_region_is_refused_with_the_same_words_everywhere(campaign, write_csv):
    with pytest.raises(UnknownRegion, match=r"Unknown country code for phone numbers: 'xx'\."):
        phone_settings("xx")
    plan = build_plan(campaign.id, [FileChoice(write_csv("phone\n2125550100\n"))], region="xx")
    assert plan.failure.status == BAD_REQUEST
    assert plan.failure.message == "Unknown country code for phone numbers: 'xx'."
    assert not run_import(plan).success


def test_the_plan_is_built_from_the_choices_and_cannot_be_changed_afterwards(campaign, write_csv):
    path = write_csv("Mobile;Who;Plan\n2125550100;Ann;Gold\n")
    plan = build_plan(
        campaign.id,
        [FileChoice(path, {"Plan": None}, {"delimiter": ";"})],
        region="us",
        strict=1,
        mode="keep_pending",
    )
    assert plan.failure is None
    assert (plan.region, plan.strict, plan.mode, plan.campaign_name) == ("US", True, "keep_pending", campaign.name)
    assert plan.format.delimiter == ";"
    assert plan.mapping.as_json_dict() == {"Mobile": "phone_number", "Who": "Who", "Plan": None}
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.region = "GB"
    replaced = plan.with_mode("replace")
    assert replaced.mode == "replace" and replaced.sources is plan.sources  # nothing read again
    assert run_import(replaced, dry_run=True).imported_count == 1


def test_a_file_without_a_phone_column_keeps_what_was_detected_for_the_columns_page(write_csv):
    read = read_file(write_csv("Customer,Region\nAnn,East\nBob,West\n"))
    source = plan_source(read, region="US")
    assert source.mapping is None and source.problem.startswith("No phone number column")
    # Detected with the sample rows, as the import detects: sales regions are no states.
    assert source.draft.targets == {"Customer": "name", "Region": "Region"}


def test_the_wizard_pages_do_not_import_each_other():
    pages = {"preview_page", "mapping_page", "check_page", "import_page"}
    for page in pages:
        tree = ast.parse((WIZARD / f"{page}.py").read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}
        assert not imported & (pages | {"import_wizard"}), page
