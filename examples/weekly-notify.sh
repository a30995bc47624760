#!/bin/sh
# Weekly renewal reminders in the offices' chat groups: each place's digest posted to its
# WeCom, DingTalk or Feishu group robot.
#
# Run by cron beside weekly-mail.sh (see examples/crontab). It reads the same environment file,
# kept outside the repository (mode 600), e.g. /etc/renewal/env:
#   RENEWAL_REGISTER=/srv/renewal/台账.csv
#   RENEWAL_WEBHOOKS=/etc/renewal/webhooks.csv     # place,webhook,secret; mode 600 too
#   RENEWAL_STATE=/var/lib/renewal/delivery.sqlite3  # optional: the delivery record mail uses
#   RENEWAL_BIN=/opt/renewal/venv/bin/renewal         # cron's PATH does not hold the venv
#
# The webhooks file holds the robots' keys and signing secrets: whoever reads it can post to
# the groups. Keep it as the env file is (chown root, chmod 600); renewal names it on stderr
# when other users can read it.
#
# The delivery record makes a second run in the same ISO week post nothing already posted, and
# its lock keeps two runs (or this job and the mail job) from sending at once; a run that finds
# the lock taken exits 75 after --wait seconds. Exit status is renewal's: 0 all sent, 1 a group
# was not sent (cron mails the report on stderr to the admin), 2 a usage error, 75 busy.
set -eu

ENV_FILE="${RENEWAL_ENV_FILE:-/etc/renewal/env}"
if [ -r "$ENV_FILE" ]; then
    set -a
    . "$ENV_FILE"
    set +a
fi

: "${RENEWAL_REGISTER:?set RENEWAL_REGISTER to the register CSV}"
: "${RENEWAL_WEBHOOKS:?set RENEWAL_WEBHOOKS to the webhooks CSV (place,webhook,secret)}"

RENEWAL_BIN="${RENEWAL_BIN:-renewal}"
if ! command -v "$RENEWAL_BIN" >/dev/null 2>&1; then
    echo "weekly-notify.sh: $RENEWAL_BIN not found; set RENEWAL_BIN to the renewal program, e.g." \
        "/opt/renewal/venv/bin/renewal" >&2
    exit 127
fi

set -- --webhooks "$RENEWAL_WEBHOOKS" --quiet --wait 600
if [ -n "${RENEWAL_STATE:-}" ]; then
    set -- "$@" --state "$RENEWAL_STATE"
fi
exec "$RENEWAL_BIN" notify "$RENEWAL_REGISTER" "$@"
