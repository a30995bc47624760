#!/bin/sh
# Weekly renewal reminders: each officer gets their own place's calendar and digest.
#
# Run by cron every Monday at 08:00 Beijing time (see examples/crontab). The tool takes "today"
# in Asia/Shanghai whatever the server's clock zone, so on a UTC server the 00:00 UTC run
# already judges Monday's date.
#
# Settings come from an environment file kept outside the repository (mode 600), e.g.
# /etc/renewal/env:
#   RENEWAL_REGISTER=/srv/renewal/台账.csv
#   RENEWAL_CONTACTS=/srv/renewal/contacts.csv     # place,name,email
#   RENEWAL_SMTP_HOST=smtp.example.cn
#   RENEWAL_SMTP_PORT=587
#   RENEWAL_SMTP_SECURITY=starttls
#   RENEWAL_SMTP_USER=renewal@example.cn
#   RENEWAL_SMTP_PASSWORD=...
#   RENEWAL_MAIL_FROM=renewal@example.cn
#   RENEWAL_BIN=/opt/renewal/venv/bin/renewal        # cron's PATH does not hold the venv
#   RENEWAL_STATE=/var/lib/renewal/delivery.sqlite3  # optional: the delivery record
#
# The delivery record (default ~/.local/state/renewal/delivery.sqlite3 of the cron user) makes a
# second run in the same week send only what the first did not deliver, so this script is safe to
# run again (a catch-up after a reboot, a run killed halfway). A run holds the lock file beside
# the record (delivery.sqlite3.lock) while it sends; a second run at the same time exits 75 and
# sends nothing. Back the record up with the server; never delete it in the middle of a week.
#
# Exit status is renewal's: 0 all sent, 1 something was not sent or its outcome is unknown (cron
# mails the report on stderr to the admin), 2 a usage error, 75 another run was sending.
set -eu

ENV_FILE="${RENEWAL_ENV_FILE:-/etc/renewal/env}"
if [ -r "$ENV_FILE" ]; then
    set -a
    . "$ENV_FILE"
    set +a
fi

: "${RENEWAL_REGISTER:?set RENEWAL_REGISTER to the register CSV}"
: "${RENEWAL_CONTACTS:?set RENEWAL_CONTACTS to the contacts CSV (place,name,email)}"

# cron runs with PATH=/usr/bin:/bin: name the program where `pip install` put it.
RENEWAL_BIN="${RENEWAL_BIN:-renewal}"
if ! command -v "$RENEWAL_BIN" >/dev/null 2>&1; then
    echo "weekly-mail.sh: $RENEWAL_BIN not found; set RENEWAL_BIN to the renewal program, e.g." \
        "/opt/renewal/venv/bin/renewal" >&2
    exit 127
fi

exec "$RENEWAL_BIN" mail "$RENEWAL_REGISTER" \
    --contacts "$RENEWAL_CONTACTS" \
    ${RENEWAL_STATE:+--state "$RENEWAL_STATE"} \
    --quiet
