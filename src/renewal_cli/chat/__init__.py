"""Chat robots: each place's digest posted to its WeCom, DingTalk or Feishu/Lark group.

`webhooks` reads the robots' addresses (from the command line, the environment or a CSV like the
contacts file) and tells the platform from the host; `routing` decides which group gets which
items (pure); `compose` words the digest and splits it into numbered messages that fit each
platform (pure); `platforms` holds each platform's contract: message bodies, signing, how an
answer says success; `send` posts over HTTPS with the standard library, spaced to each robot's
rate limit; `deliver` runs it all against the delivery record. Nothing here prints or exits,
and no key or signing secret ever leaves this package in a message, a file or the record.
"""
