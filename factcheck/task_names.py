"""Every Celery task's name, in one place.

Services enqueue tasks by name (factcheck/services/dispatch.py) so that they never import
the workers; workers/tasks.py registers each task under its name and workers/schedule.py
runs the reapers by name. Names are stable: a message queued before a deploy must still
find its task after it. Pure constants: no Django, no Celery.
"""

SPLIT_SOURCE = "factcheck.split_source"
EXTRACT_CLAIMS = "factcheck.extract_claims"
CHECK_CLAIM = "factcheck.check_claim"
FETCH_SOURCE = "factcheck.fetch_source"
DELIVER_WEBHOOK = "factcheck.deliver_webhook"
POLL_FEED = "factcheck.poll_feed"

# The reapers (workers/schedule.py runs them every minute): they re-send what the broker lost.
REQUEUE_STALLED_SOURCES = "factcheck.requeue_stalled_sources"
REQUEUE_STALLED_CHECKS = "factcheck.requeue_stalled_checks"
REQUEUE_STALLED_FETCHES = "factcheck.requeue_stalled_source_fetches"
REQUEUE_STALLED_WEBHOOKS = "factcheck.requeue_stalled_webhooks"
# Sends each outlet feed that is due to a worker (every minute).
POLL_DUE_FEEDS = "factcheck.poll_due_feeds"
# Sends the digest of new claims (webhook event claims.new) once its window has passed (asked every minute).
SEND_CLAIMS_DIGEST = "factcheck.send_claims_digest"
# Makes the passages' index partitions of this month and the next before they are needed (hourly).
PREPARE_PASSAGE_MONTHS = "factcheck.prepare_passage_months"
# Imports the configured sources of other desks' fact-checks once FACTCHECK_CLAIMREVIEW_IMPORT_MINUTES have
# passed (asked every minute).
IMPORT_CLAIMREVIEW_SOURCES = "factcheck.import_claimreview_sources"
