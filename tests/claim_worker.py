"""One caller for the concurrency test: claim and mark until the campaign has nothing left.

python claim_worker.py DATABASE CAMPAIGN_ID CALLER  ->  prints the claimed ids as JSON
"""

import json
import sys
from datetime import UTC, datetime


def main(location: str, campaign_id: int, caller: str) -> None:
    from contactdesk.store import claims, close_db, init_db

    init_db(location)
    claimed = []
    while (contact_id := claims.claim_next(campaign_id, caller, datetime.now(UTC))) is not None:
        claimed.append(contact_id)
        claims.mark_result(contact_id, "completed", caller, datetime.now(UTC))
    close_db()
    json.dump(claimed, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
