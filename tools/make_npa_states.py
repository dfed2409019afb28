"""Write resources/data/npa_states.csv: the US state (or Canadian province) of each North
American area code, taken from phonenumbers' own geocoding data.

Area codes do not cross state lines, so one row per area code is enough. The app reads the
small table instead of loading the geocoder (megabytes) while importing.

    python tools/make_npa_states.py > src/contactdesk/resources/data/npa_states.csv
"""

import re
import sys
from collections import Counter

import phonenumbers
from phonenumbers.geodata import GEOCODE_DATA

NAMES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "washington d.c.": "DC", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
    "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
    "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
    "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
    "new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
    "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA",
    "washington state": "WA", "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
    "puerto rico": "PR", "guam": "GU", "us virgin islands": "VI", "american samoa": "AS",
    "northern mariana islands": "MP",
    "alberta": "AB", "british columbia": "BC", "manitoba": "MB", "new brunswick": "NB",
    "newfoundland and labrador": "NL", "newfoundland": "NL", "nova scotia": "NS", "ontario": "ON",
    "prince edward island": "PE", "quebec": "QC", "québec": "QC", "saskatchewan": "SK", "yukon": "YT",
    "northwest territories": "NT", "nunavut": "NU", "nova scotia/prince edward island": "NS",
    "british colombia": "BC", "tamuning": "GU",
}  # fmt: skip
CODES = set(NAMES.values())
TERRITORIES = ("PR", "GU", "VI", "AS", "MP")
_CITY_STATE = re.compile(r",\s*([A-Z]{2})$")


def state_of(description: str) -> str | None:
    match = _CITY_STATE.search(description)
    if match and match.group(1) in CODES:
        return match.group(1)
    return NAMES.get(description.strip().casefold())


def npa_states() -> dict[str, str]:
    votes: dict[str, Counter] = {}
    for key, descriptions in GEOCODE_DATA.items():
        if not key.startswith("1") or len(key) < 4 or "en" not in descriptions:
            continue
        state = state_of(descriptions["en"])
        if state:
            votes.setdefault(key[1:4], Counter())[state] += 1
    states = {npa: counter.most_common(1)[0][0] for npa, counter in votes.items()}
    # US territories have their own region in phonenumbers, and little or no geocoding data.
    for npa in range(200, 1000):
        region = phonenumbers.region_code_for_number(phonenumbers.parse(f"+1{npa}2345678"))
        if region in TERRITORIES:
            states.setdefault(str(npa), region)
    return dict(sorted(states.items()))


def main() -> int:
    out = sys.stdout
    out.write(f"# area code -> state or province, from phonenumbers {phonenumbers.__version__} geocoding data\n")
    out.write("npa,state\n")
    for npa, state in npa_states().items():
        out.write(f"{npa},{state}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
