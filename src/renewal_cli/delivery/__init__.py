"""What every sending command shares: the delivery record and the lock that guards it.

The record (record.py) is an SQLite file that remembers, per channel (mail, later chat), which
recipient was given which message about which topic (a place, a holder) in which period, with
a digest of its content and the time. The ledger (ledger.py) is one run's view of it: whether a
recipient already has this content, has an older one (the message says it is an update), or
has nothing yet, and the deliveries of this run, written one by one as they happen. The lock
(lock.py) keeps a second run off the record while one is sending. Nothing here prints, exits
or reads the clock: the command line passes the time in.
"""
