"""The straightforward importer the benchmark compares against.

What a first version would do: csv.DictReader, phonenumbers on every row, peewee
insert_many in batches of 500, a commit per batch. It uses ContactDesk's own tables.

    python bench/naive_import.py DB FILE
"""

import argparse
import csv
import json

import phonenumbers

from contactdesk.core.campaigns import create_campaign
from contactdesk.store import Contact, db, init_db


def main(db_path: str, csv_path: str) -> None:
    init_db(db_path)
    campaign = create_campaign("naive")
    seen: set[str] = set()
    batch: list[dict] = []

    def flush() -> None:
        with db.atomic():
            Contact.insert_many(batch).execute()
        batch.clear()

    with open(csv_path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                number = phonenumbers.parse(row["phone"], "US")
            except phonenumbers.NumberParseException:
                continue
            if not phonenumbers.is_possible_number(number):
                continue
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            if e164 in seen:
                continue
            seen.add(e164)
            variables = {k: v for k, v in row.items() if k not in ("phone", "name", "email", "company")}
            batch.append(
                {
                    "campaign": campaign.id,
                    "phone_number": e164,
                    "phone_raw": row["phone"],
                    "name": row["name"],
                    "email": row["email"],
                    "company": row["company"],
                    "variables": json.dumps(variables),
                }
            )
            if len(batch) >= 500:
                flush()
    if batch:
        flush()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The straightforward importer the benchmark compares against.")
    parser.add_argument("db", help="database file to create and import into")
    parser.add_argument("file", help="CSV file with the benchmark's columns")
    args = parser.parse_args()
    main(args.db, args.file)
