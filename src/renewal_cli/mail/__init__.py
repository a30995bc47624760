"""Mail to officers: who gets what (routing), the message (compose), SMTP (smtp), the outbox.

`outbox.deliver` is what `renewal mail` calls: it plans the messages for the selected items,
composes each with its calendar and CSV, and sends them or writes them as .eml files, returning
a report the command line prints. Nothing here prints or exits.
"""
