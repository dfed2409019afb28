"""Campaign names that only look different are the same name."""

import pytest

from contactdesk.core.campaigns import CampaignError, create_campaign, rename_campaign, unique_campaign_name


@pytest.mark.parametrize(
    "lookalike",
    [
        "Spr\u200bing",  # zero-width space
        "\u202eSpring",  # right-to-left override
        "Spring\u200f",  # right-to-left mark
        "\u2066Spring\u2069",  # isolate
        "Spr\ufeffing",  # zero-width no-break space
        "SPRING",
    ],
)
def test_a_lookalike_of_an_existing_name_is_refused(db_path, lookalike):
    create_campaign("Spring")
    with pytest.raises(CampaignError, match="already exists"):
        create_campaign(lookalike)


def test_composed_and_decomposed_accents_are_the_same_name(db_path):
    create_campaign("Caf\u00e9 \u00e9t\u00e9")  # é as one character
    with pytest.raises(CampaignError, match="already exists"):
        create_campaign("CAFE\u0301 E\u0301TE\u0301")  # E + combining accent, in capitals


def test_renaming_to_a_lookalike_of_another_campaign_is_refused(db_path):
    create_campaign("Spring")
    autumn = create_campaign("Autumn")
    with pytest.raises(CampaignError, match="already exists"):
        rename_campaign(autumn.id, "Spri\u200dng")


def test_a_name_of_only_invisible_characters_is_no_name(db_path):
    with pytest.raises(CampaignError, match="needs a name"):
        create_campaign("\u200b\u202e")


def test_names_made_from_files_skip_lookalikes(db_path):
    create_campaign("leads")
    assert unique_campaign_name("lea\u200bds") == "lea\u200bds (2)"
