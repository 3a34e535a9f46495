"""A stand-in credit bureau (征信中心) for development and tests.

It runs as its own HTTP service (``autolend bureau-sandbox serve --port P`` or
``python -m autolend.bureau_sandbox --port P``) and plays a third party: it imports nothing of
the platform but the domain vocabulary (status codes, purposes, the resident-ID and US
taxpayer-ID checks). It answers for a CN resident ID and for a US SSN or ITIN (a report in
dollars from lenders named as the sandbox's own).

``POST /v1/reports`` with ``{"id_number", "name", "purpose", "consent_reference"}`` answers a
synthetic personal credit report that depends only on the ID (and the sandbox's report date):
the same ID always gets the same accounts, histories and inquiries. Some IDs have no record
(404), some a thin file, some a red flag (a written-off account, 180+ days overdue). See
:mod:`autolend.bureau_sandbox.reports` for the shapes and :mod:`autolend.domain.bureau` for
the status codes. ``POST /_control`` makes it slow or failing; ``GET /_control`` shows its
settings and request counters.
"""
