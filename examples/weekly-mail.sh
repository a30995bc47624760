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
#
# Exit status is renewal's: 0 all sent, 1 something was not sent (cron mails the report on
# stderr to the admin), 2 a usage error.
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
    --quiet
