#!/usr/bin/env python3
"""Generate the demo platform's three sample accounts.

Writes freelancer.json, client.json and agency.json next to this script.
The output is deterministic (seeded with random.Random(2026)), so running it
again reproduces the same files byte for byte:

    python3 assets/demo/generate.py

The JSON matches `DemoAccount` in src/platform/demo.rs: money is an integer
number of US cents, datetimes are RFC 3339 UTC with a `Z`, enums are
kebab-case. The data's "today" is AS_OF, a Monday; the app shifts every date
by whole weeks so AS_OF lands in the user's current week.

Money follows the weekly billing cycle: hourly work from Monday to Sunday is
available on the Wednesday ten days after the week ends; manual payments
(milestones, bonuses) five days after they are processed. `balance_after` is
the running total of the rows whose status is `available`.

Stdlib only.
"""

import json
import os
import random
from datetime import datetime, timedelta, timezone

R = random.Random(2026)
UTC = timezone.utc
AS_OF = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday
OUT = os.path.dirname(os.path.abspath(__file__))

FREELANCER_FEE = 0.10  # service fee on freelancer and agency earnings
CLIENT_FEE = 0.05  # marketplace fee on client payments


# ---------------------------------------------------------------------------
# helpers


def iso(dt):
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_start(dt):
    return dt.replace(hour=0, minute=0, second=0, microsecond=0)


def monday(dt):
    d = day_start(dt)
    return d - timedelta(days=d.weekday())


def hourly_available_on(week_monday):
    """Work in the week starting `week_monday` is withdrawable on the
    Wednesday ten days after the week ends (Monday 00:00 after it + 9 days)."""
    return week_monday + timedelta(days=7 + 9)


def at_work_hour(day, lo=13, hi=23):
    """A time during a US working day (UTC)."""
    return day_start(day) + timedelta(hours=R.randint(lo, hi - 1), minutes=R.randrange(0, 60))


def on_weekday(dt):
    while dt.weekday() >= 5:
        dt += timedelta(days=1)
    return dt


def usd(cents):
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"


def week_label(week_monday):
    sun = week_monday + timedelta(days=6)
    if week_monday.month == sun.month:
        return f"{week_monday:%b} {week_monday.day} - {sun.day}, {sun.year}"
    return f"{week_monday:%b} {week_monday.day} - {sun:%b} {sun.day}, {sun.year}"


def hhmm(minutes):
    return f"{minutes // 60}:{minutes % 60:02d} hrs"


def round_to(cents, step):
    return int(cents // step) * step


def pick(seq):
    return R.choice(seq)


class Counter:
    def __init__(self, fmt, start=1):
        self.fmt = fmt
        self.n = start

    def next(self):
        v = self.fmt.format(self.n)
        self.n += 1
        return v


TX_IDS = Counter("t-{:06d}")
MSG_IDS = Counter("m-{:06d}")
ROOM_IDS = Counter("room-{:02d}")


def exchange_values(ctx):
    """Placeholder values for one exchange, so replies agree with questions."""
    feats = ctx["feats"]
    a, b = R.sample(feats, 2) if len(feats) >= 2 else (feats[0], feats[0])
    values = dict(ctx)
    values.update(
        feat=a,
        feat2=b,
        day=pick(["Tuesday", "Wednesday", "Thursday", "Friday", "Monday"]),
        day2=pick(["Thursday", "Friday", "Monday", "Tuesday"]),
        time=pick(["10am", "11:30", "2pm", "3pm", "4:30", "9am"]),
        tz=pick(["ET", "ET", "PT", "CT"]),
        edge=pick(EDGES),
        nit=pick(NITS),
        cause=pick(CAUSES),
        hours=R.randint(3, 14),
        hours2=R.randint(15, 30),
        extra=pick(EXTRAS),
        reason=pick(DELAY_REASONS),
        tool=pick(["Loom", "a short screen recording", "Notion", "the README"]),
        pct=R.choice([20, 30, 35, 40, 50, 60]),
    )
    return values


def fill(template, ctx, values=None):
    return template.format(**(values or exchange_values(ctx)))


# ---------------------------------------------------------------------------
# text pools for messages

EDGES = [
    "empty states",
    "timezone handling for users outside the US",
    "retries when the webhook fails",
    "the mobile layout under 375px",
    "pagination past a few thousand rows",
    "what happens when the session expires mid-form",
    "duplicate submissions on double click",
    "Safari's date input quirks",
    "users with really long names",
    "rate limits on the third-party API",
    "the loading state on slow connections",
    "permissions for read-only users",
]

NITS = [
    "the button copy should say \"Save changes\" instead of \"Submit\"",
    "can we make the table header sticky?",
    "the spacing under the title feels a bit tight on mobile",
    "the success toast disappears too fast, I barely saw it",
    "could the default sort be newest first?",
    "the date shows in UTC, can it be local time?",
    "the error message is a bit technical for our customers",
    "the logo looks slightly blurry on my laptop",
    "can we hide the beta badge for now",
    "the dropdown order should be alphabetical",
]

CAUSES = [
    "a race condition between the two API calls",
    "a missing index, the query was doing a full table scan",
    "the env variable wasn't set on production",
    "a null check I missed for accounts created before the migration",
    "the cache wasn't being invalidated after an update",
    "an off-by-one in the date range filter",
    "the CSRF token expiring after 30 minutes",
    "a dependency update that changed the default behaviour",
    "the webhook signature check using the test secret",
    "a CSS specificity clash with the old stylesheet",
]

EXTRAS = [
    "add an export to CSV button on that page",
    "send a Slack notification when a new order comes in",
    "add a simple search box above the list",
    "let admins impersonate a user for support",
    "add dark mode, our CEO keeps asking",
    "put a basic audit log on the settings page",
    "add a \"remember me\" option to the login",
    "show a banner for scheduled maintenance",
]

DELAY_REASONS = [
    "the third-party API docs are out of date and I had to reverse engineer a couple of endpoints",
    "the existing data has more edge cases than we expected",
    "I found a bug in the auth middleware that I want to fix properly first",
    "the staging database was a few migrations behind production",
    "the design needed a few extra states we hadn't discussed",
]

OPENERS = [
    [
        ("C", "Hi {f}, thanks for accepting! Really excited to get going on this. I've invited you to the GitHub repo and shared the Figma file."),
        ("F", "Thanks {c}! Got both invites. I'll get the project running locally today. Is there a seed script, or should I work from a copy of the staging database?"),
        ("C", "There's a seed script in /scripts but it's a bit stale. I'll ask our backend guy to send you a sanitised dump."),
        ("F", "Perfect. My plan for the first week: get familiar with the codebase, then start on the {feat}. I'll open small PRs as I go so you can follow along."),
    ],
    [
        ("C", "Hey {f}, welcome aboard. Quick context before you dive in: the {feat} is what our customers complain about most, so let's start there."),
        ("F", "Hi {c}, makes sense. Do you have any support tickets or recordings of people struggling with it? That would help me prioritise."),
        ("C", "I'll export the last month of tickets tagged with it and drop them here."),
        ("F", "Great, thank you. I'll read through them and come back with a short plan by {day}."),
    ],
    [
        ("C", "Hi {f}! Contract is live. Anything you need from me to get started?"),
        ("F", "Hi {c}, thanks! Access to the repo and the hosting dashboard would be ideal, plus the API keys for the sandbox environments. Happy to receive secrets through 1Password or Bitwarden rather than here."),
        ("C", "Sent a 1Password share to your email. Repo invite should be there too."),
        ("F", "All in, thanks. Starting with the {feat} and I'll send an update end of day tomorrow."),
    ],
    [
        ("F", "Hi {c}, thanks for hiring me! I've read through the brief again. Before I start: is the {stack} setup in the repo the one you deploy from, or is there a separate production branch?"),
        ("C", "Main is production, we deploy on merge. Please work in feature branches and tag me on PRs."),
        ("F", "Got it. First PR will be the {feat}, aiming for {day}."),
    ],
    [
        ("C", "Hello {f}, glad to have you on this. Our previous developer left things half done, so apologies in advance for the state of the code."),
        ("F", "No worries at all, I've seen worse! I'll spend the first couple of hours mapping out what's there and write up what I find, then we can agree on priorities."),
        ("C", "That would be really helpful. Honestly I'm not even sure what state the {feat} is in."),
        ("F", "I'll include that in the write-up. Expect it by {day}."),
        ("F", "Write-up is in the shared doc. Short version: the {feat} is about 70% done, the {feat2} needs a rewrite, and there are no tests. I'd suggest we tackle them in that order."),
        ("C", "Thanks {f}, this is exactly what I needed. Agree with the order."),
    ],
]

CREATIVE_OPENERS = [
    [
        ("C", "Hi {f}, welcome! I've shared the brand guidelines and last year's materials in the Drive folder."),
        ("F", "Thanks {c}! I'll go through everything today. Who are the main people I should keep in mind as the audience?"),
        ("C", "Mostly operations managers at mid-sized logistics companies. Busy, sceptical, not very technical."),
        ("F", "Very useful, thanks. I'll have a first pass of the {feat} to you by {day}."),
    ],
    [
        ("F", "Hi {c}, thanks for the offer, excited to work on this. Could we do a 30 minute kickoff call this week to go through goals and examples you like?"),
        ("C", "Sure, how about {day} at {time} {tz}?"),
        ("F", "Works for me, I'll send an invite."),
    ],
]

EXCHANGES = [
    [
        ("F", "Quick update: the {feat} is working on staging. Still need to handle {edge}, should be done by {day}."),
        ("C", "Nice, just clicked through it and it looks great. One small thing: {nit}"),
        ("F", "Good catch, fixing that now."),
    ],
    [
        ("F", "Question on the {feat}: should it apply to existing accounts too, or only new sign-ups from now on?"),
        ("C", "Existing accounts as well please. Most of our revenue is from customers who signed up years ago."),
        ("F", "Understood, I'll write a small backfill script for them then."),
    ],
    [
        ("C", "Hey {f}, seeing an error on the {feat} page when I try to save. Screenshot attached.", ["screenshot.png"]),
        ("F", "On it. Looks like {cause}. Fix is deployed to staging, can you try again?"),
        ("C", "Works now, thanks for the quick turnaround!"),
    ],
    [
        ("C", "Can we hop on a quick call {day} at {time} {tz} to go through the {feat}?"),
        ("F", "{day} at {time} works. I'll send a Google Meet link."),
    ],
    [
        ("F", "Heads up: the {feat} is taking longer than I estimated because {reason}. I think I'll need until {day2}. Sorry about that."),
        ("C", "No worries, thanks for flagging it early. Better to do it properly."),
    ],
    [
        ("C", "How many hours do you think the {feat} will take?"),
        ("F", "Roughly {hours} to {hours2} hours including tests. The lower end if we reuse the existing components."),
        ("C", "OK, let's go with reusing them. Speed matters more than perfection on this one."),
    ],
    [
        ("C", "While you're in there, could you also {extra}?"),
        ("F", "Sure, that's maybe {hours} hours. Want me to do it now or after the {feat}?"),
        ("C", "After is fine."),
    ],
    [
        ("F", "PR for the {feat} is up. I left a few comments in the diff where I wasn't sure about the business rules."),
        ("C", "Thanks, I'll review tonight."),
        ("C", "Reviewed and merged. The comments were really helpful, answered them inline."),
    ],
    [
        ("F", "FYI I'm out on {day} for a family thing, back {day2}. I'll keep an eye on messages in case anything urgent comes up."),
        ("C", "Thanks for letting me know, enjoy!"),
    ],
    [
        ("C", "Our sales team demoed the {feat} to a prospect today and they loved it. Great work."),
        ("F", "That's great to hear, thanks for passing it on!"),
    ],
    [
        ("F", "I noticed the {feat2} fires about {pct} duplicate database queries per request. Not urgent, but it's an easy win if you want me to fix it."),
        ("C", "Yes please, the page has felt slow for a while."),
        ("F", "Done, load time went from about 2.1s to 600ms on staging."),
        ("C", "Wow. That's a big difference."),
    ],
    [
        ("F", "Deployed the {feat} to production. Monitoring the logs for the next hour or so."),
        ("F", "All quiet, no errors so far."),
        ("C", "Amazing, thank you!"),
    ],
    [
        ("C", "Sorry for the slow reply, it's been a crazy week with the board meeting. Catching up now."),
        ("F", "No problem at all. The main open question is whether the {feat} should be visible to all users or only admins."),
        ("C", "Admins only for now. We'll open it up after a trial period."),
    ],
    [
        ("F", "I'd like to upgrade a couple of outdated dependencies while I'm at it, two of them have known security issues. It's about an hour of work. OK?"),
        ("C", "Go for it."),
    ],
    [
        ("C", "A customer reported that the {feat} shows the wrong totals. Could you take a look when you have a moment?"),
        ("F", "Found it: {cause}. Added a test that reproduces it and pushed the fix."),
        ("C", "Legend. I'll let the customer know."),
    ],
    [
        ("F", "Here's a short {tool} walking through the {feat} so your team can see how it works."),
        ("C", "This is perfect, I'm sharing it with the support team."),
    ],
    [
        ("C", "Can you send me a rough summary of what you worked on this week? My boss asked for an update."),
        ("F", "Sure! This week: finished the {feat}, fixed the bug with {edge}, and started on the {feat2}. Next week I'll wrap up the {feat2} and write tests for both."),
        ("C", "Thank you!"),
    ],
    [
        ("F", "Small question: do you have a preferred error tracking tool? Right now production errors only end up in the server logs."),
        ("C", "We have a Sentry account that nobody set up properly. Can you hook it up?"),
        ("F", "Will do, should take under an hour."),
    ],
    [
        ("C", "Morning! Just checking in on the {feat}, how is it going?"),
        ("F", "Morning {c}! Going well, the backend part is done and I'm on the UI now. Should have something to show you {day}."),
    ],
    [
        ("F", "I've written up the trade-offs for the {feat2} in the doc. Option A is quicker, option B scales better. Honestly either is fine at your current volume."),
        ("C", "Let's do A and revisit if we grow into the problem. Thanks for laying it out so clearly."),
    ],
    [
        ("C", "Just wanted to say thanks. The team has noticed how much smoother our releases are since you joined."),
        ("F", "That's really nice to hear, thank you {c}!"),
    ],
]

PAYMENT_EXCHANGES = [
    [
        ("C", "Is there a way for me to test the {feat} without using a real card?"),
        ("F", "Yes, on staging you can use the test card 4242 4242 4242 4242 with any future date and any CVC. I also added a note to the README."),
    ],
    [
        ("F", "Stripe sent a notice that they're deprecating the API version we're pinned to. I'd like to upgrade it while I'm working on the {feat}, about {hours} hours including testing the webhooks."),
        ("C", "Makes sense, go ahead."),
    ],
]

CREATIVE_EXCHANGES = [
    [
        ("C", "Legal asked us to avoid the word \"guarantee\" anywhere in the {feat}. Sorry, just found out."),
        ("F", "No problem, I'll swap it out and reread everything for similar claims."),
    ],
    [
        ("C", "We showed the {feat} to a few customers and got really good feedback. Only note: people missed a clear next step at the end."),
        ("F", "Makes sense, I'll make the call to action stronger and send the update {day}."),
    ],
    [
        ("C", "Can we move our check-in to {day} at {time}? Something came up."),
        ("F", "Sure, that works."),
    ],
    [
        ("C", "Quick heads-up: our CEO wants to see the {feat} before we sign off, so approval might take a couple of extra days."),
        ("F", "No problem, thanks for letting me know."),
    ],
    [
        ("F", "I've put the open questions about the {feat} at the top of the doc so they don't get lost in the comments."),
        ("C", "Thanks, I'll answer them today."),
        ("C", "Done, all answered."),
    ],
    [
        ("C", "Our new marketing lead, Jess, is joining the project this week. I've added her to the shared folder."),
        ("F", "Great, welcome Jess! Happy to walk her through where things stand."),
    ],
]

DESIGN_EXCHANGES = [
    [
        ("F", "First draft of the {feat} is in the shared folder. I went a bit bolder than the brief, but there's a safer variant too.", ["draft-v1.pdf"]),
        ("C", "Love the bolder one. The team is split on the colours though, can you try a version closer to our navy?"),
        ("F", "Of course, I'll have it by {day}."),
    ],
    [
        ("F", "Here are three directions for the {feat2}, from conservative to playful. My favourite is the second one.", ["directions.pdf"]),
        ("C", "We like the second one too! Can you push it a little further?"),
    ],
    [
        ("C", "The developers asked if you could export the icons as SVG as well."),
        ("F", "Sure, they're in the handoff folder now, along with the spacing specs."),
    ],
    [
        ("F", "Uploaded the revised {feat} with your comments addressed. I also exported it in the sizes you listed.", ["revised-final.zip"]),
        ("C", "Perfect, thank you {f}."),
    ],
]

WRITING_EXCHANGES = [
    [
        ("F", "Quick question: do you want the {feat} to follow the tone of the website, or the more formal tone of the sales deck?"),
        ("C", "Website tone please. The deck is being rewritten anyway."),
    ],
    [
        ("F", "First draft of the {feat} is in the doc. I kept sentences short and cut most of the jargon, let me know if it swings too casual."),
        ("C", "This reads so much better than what we had. A couple of comments inline."),
        ("F", "Thanks! Addressed them all, ready for another look."),
    ],
    [
        ("C", "Can you keep each of the {feat2} under 90 characters? They need to fit in the mobile layout."),
        ("F", "Sure, I'll do a pass for length and flag the two or three that really need more room."),
    ],
    [
        ("F", "I've started a small glossary so we use the same words everywhere, for example \"shipment\" rather than \"consignment\". It's in the shared folder."),
        ("C", "Love this. Sharing it with the product team too."),
    ],
    [
        ("F", "Uploaded the final {feat} with your comments addressed.", ["final-copy.docx"]),
        ("C", "Perfect, thank you {f}."),
    ],
]

MILESTONE_SUBMIT = [
    ("F", "I've submitted milestone {n} ({mtitle}) for review. Everything is on staging, and the README has the steps to test it."),
    ("C", "Looks great. Approved and released, thanks {f}!"),
]

MILESTONE_FUNDED = [
    ("C", "Funded the next milestone ({mtitle}), go ahead whenever you're ready."),
    ("F", "Thanks {c}, starting today."),
]

CLOSERS_ENDED = [
    [
        ("F", "That's everything from my side. I've written handoff notes in the README and recorded a short walkthrough of the deploy process."),
        ("C", "This has been great {f}. Closing the contract now and leaving feedback. We'll definitely reach out again."),
        ("F", "Thanks {c}, it was a pleasure. Feel free to ping me if anything comes up."),
    ],
    [
        ("C", "We're going to wrap up here for now, the budget for this quarter is spent. Thanks for all the work."),
        ("F", "Totally understand. I'll push my last changes and write up where things stand so whoever picks it up next has an easy start."),
        ("C", "Much appreciated."),
    ],
    [
        ("F", "Final PR is merged and the production deploy looks healthy. It's been great working with you and the team!"),
        ("C", "Likewise. I'll end the contract today. Thanks again {f}."),
    ],
    [
        ("C", "Everything is live and working. I'm ending the contract now, thanks for your patience with all our changes."),
        ("F", "Thank you {c}! Good luck with the launch."),
    ],
]

CLOSERS_PAUSED = [
    [
        ("C", "Hi {f}, we need to pause things for a few weeks. We're waiting on the new budget to be approved after the Q4 planning."),
        ("F", "Understood. I'll leave everything in a clean state and document what's in progress. Just let me know when you want to pick it back up."),
        ("C", "Will do. Thanks for being flexible."),
    ],
]

CLOSERS_ACTIVE = [
    [
        ("C", "Quick one: can you prioritise the {feat} this week? We have a demo with a big customer on {day}."),
        ("F", "Sure, moving it to the top. You'll have something to look at by {day2} at the latest."),
    ],
    [
        ("F", "Weekly update: the {feat} is merged, the {feat2} is about halfway. Plan for this week is to finish it and tidy up the tests."),
        ("C", "Sounds good, thanks {f}."),
    ],
]

INTERVIEW_FLOWS = [
    [
        [("C", "Hi {f}, thanks for your proposal for \"{title}\". I'd like to ask a few questions before deciding. Have you worked with {stack} in production before?")],
        [
            ("F", "Hi {c}, thanks for reaching out! Yes, I've used {stack} on several client projects, most recently for a booking platform that handles a few thousand users a day."),
            ("C", "Great. What would your rough estimate be for the {feat}?"),
            ("F", "Without seeing the code I'd say {hours2} to 40 hours, but I'd want to look at the repo before committing to a number."),
        ],
        [
            ("C", "Fair enough. Do you have availability to start next week?"),
            ("F", "I could start on {day2}, with about 15 to 20 hours a week at first."),
        ],
    ],
    [
        [("C", "Hello {f}, your proposal stood out, especially the project you linked. Do you have time for a short call this week about \"{title}\"?")],
        [
            ("F", "Happy to chat! I'm free {day} after {time} {tz}, or any time {day2}."),
            ("C", "{day2} at {time} {tz} works. I'll send a Zoom link."),
        ],
        [
            ("F", "Thanks for the call today, it was good to hear more about the project. I've put a short summary of what we discussed and a suggested first milestone in the doc you shared."),
            ("C", "Thanks, that's really thorough. I'll go through it with my co-founder."),
        ],
    ],
    [
        [("C", "Hi {f}! We're reviewing proposals for \"{title}\". Could you tell me a bit more about how you'd approach the {feat}?")],
        [
            ("F", "Sure! I'd start by reviewing the current {feat} and writing a few tests around it, so we don't break anything while changing it. Then ship it in small pieces behind a feature flag."),
            ("C", "I like that approach. Is your rate flexible for a longer engagement?"),
            ("F", "For a commitment of three months or more I can do 10% off my usual rate."),
        ],
    ],
]

INTERVIEW_REJECT = [
    [("C", "Thanks for your time {f}. We decided to go with another freelancer who has more experience in our industry. I'll keep your profile in mind for future work."),
     ("F", "Thanks for letting me know {c}, and good luck with the project!")],
    [("C", "Hi {f}, we've put this project on hold for now, budget got cut. Sorry about that, I'll reach out if it comes back."),
     ("F", "No problem, thanks for the heads up.")],
    [("C", "Just wanted to let you know we went with a local agency in the end. Your proposal was one of the best we got though."),
     ("F", "Appreciate you telling me. Best of luck!")],
]

INTERVIEW_OPEN = [
    [("C", "Thanks {f}, this is helpful. We're talking to a couple more people this week and will decide by {day2}."),
     ("F", "Sounds good, looking forward to hearing from you.")],
]

OFFER_ROOM = [
    ("C", "Hi {f}, we've worked together before and I'd love to have you on the next phase. I've sent you an offer for \"{title}\"."),
    ("F", "Hi {c}, great to hear from you again! Thanks for the offer. Let me check my schedule for the coming weeks and get back to you."),
    ("C", "Of course. We'd ideally start early December, but there's some flexibility."),
    ("F", "Understood. I'll reply to the offer by the end of the week."),
    ("C", "Great. I've attached the rough scope so you can see what the agents asked for.", ["agent-dashboard-scope.pdf"]),
]


def build_room_messages(ctx, script, start, end, tail=1):
    """Turn a list of exchanges into timestamped messages between start and end.

    `script` is a list of exchanges; each exchange is a list of
    (role, text[, attachments]) where role C = client side, F = freelancer side.
    """
    n_ex = len(script)
    span = (end - start).total_seconds()
    messages = []
    t_prev = start
    for i, ex in enumerate(script):
        if i >= n_ex - tail and n_ex > tail:
            slot_start = end - timedelta(hours=R.randint(2, 6) + 30 * (n_ex - 1 - i))
        else:
            slot_start = start + timedelta(seconds=span * i / max(n_ex, 1))
        values = exchange_values(ctx)
        t = max(slot_start, t_prev + timedelta(minutes=5))
        t = on_weekday(t) if R.random() < 0.85 else t
        if t.hour < 12 or t.hour > 23:
            t = day_start(t) + timedelta(hours=R.randint(13, 21), minutes=R.randrange(60))
        for j, line in enumerate(ex):
            role, text = line[0], line[1]
            attachments = list(line[2]) if len(line) > 2 else []
            if j > 0:
                gap = R.choice([3, 6, 12, 25, 40, 75, 140, 260])
                t = t + timedelta(minutes=gap, seconds=R.randrange(60))
            if t <= t_prev:
                t = t_prev + timedelta(minutes=R.randint(2, 30))
            author = ctx["client_name"] if role == "C" else ctx["free_name"]
            messages.append(
                {
                    "id": MSG_IDS.next(),
                    "sent": iso(t),
                    "author": author,
                    "text": fill(text, ctx, values),
                    "attachments": attachments,
                }
            )
            t_prev = t
    # keep everything before the data's "today"
    limit = AS_OF - timedelta(minutes=R.randint(25, 900))
    if t_prev > limit:
        overflow = t_prev - limit
        base = datetime.fromisoformat(messages[0]["sent"].replace("Z", "+00:00"))
        total = (t_prev - base).total_seconds() or 1
        for m in messages:
            ts = datetime.fromisoformat(m["sent"].replace("Z", "+00:00"))
            frac = (ts - base).total_seconds() / total
            m["sent"] = iso(ts - timedelta(seconds=overflow.total_seconds() * frac))
    return messages


def contract_script(ctx, status, target, creative=False, milestones=()):
    openers = CREATIVE_OPENERS if creative else OPENERS
    if creative:
        pool = CREATIVE_EXCHANGES + (DESIGN_EXCHANGES if creative == "design" else WRITING_EXCHANGES)
        target = min(target, 8 + sum(len(e) for e in pool))
    else:
        pool = list(EXCHANGES)
    money_words = ("stripe", "checkout", "billing", "payment", "donation", "ticket", "cart", "invoice")
    if not creative and any(w in (ctx["stack"] + " " + " ".join(ctx["feats"])).lower() for w in money_words):
        pool += PAYMENT_EXCHANGES
    script = [list(pick(openers))]
    if status == "ended":
        closing = [list(pick(CLOSERS_ENDED))]
    elif status == "paused":
        closing = [list(pick(CLOSERS_PAUSED))]
    else:
        closing = [list(pick(CLOSERS_ACTIVE))]
    ms_ex = []
    for n, (title, state) in enumerate(milestones, 1):
        if state == "paid":
            ms_ex.append([(r, t.replace("{n}", str(n)).replace("{mtitle}", title)) for r, t in MILESTONE_SUBMIT])
        elif state == "in-escrow":
            ms_ex.append([(r, t.replace("{mtitle}", title)) for r, t in MILESTONE_FUNDED])
    middle = []
    count = sum(len(e) for e in script + closing + ms_ex)
    used = []
    while count < target:
        choices = [e for e in pool if id(e) not in used] or pool
        ex = pick(choices)
        used.append(id(ex))
        middle.append(list(ex))
        count += len(ex)
    # spread the milestone exchanges through the middle
    for k, ex in enumerate(ms_ex):
        pos = int((k + 1) * len(middle) / (len(ms_ex) + 1)) if middle else 0
        middle.insert(min(pos + k, len(middle)), ex)
    return script + middle + closing


def trim_to(messages, maximum):
    """Keep the start and the end of a long conversation."""
    if len(messages) <= maximum:
        return messages
    head = maximum // 3
    return messages[:head] + messages[len(messages) - (maximum - head):]


# ---------------------------------------------------------------------------
# text pools for proposals and feedback

COVER_HOOKS = [
    "Hi there, I read your post (\"{job}\") and it sounds very close to something I shipped recently.",
    "Hello! Your project caught my eye because {job_lower} is exactly the kind of work I enjoy most.",
    "Hi, I'm Maya, a full-stack developer with 8 years of experience, mostly in React, Node and Python.",
    "Hi! I noticed you mentioned {stack} in your post. It's been my main stack for the last few years.",
    "Hello, thanks for the clear and detailed job post, it makes it much easier to give a realistic estimate.",
]
COVER_PROOF = [
    "Last year I built a similar system for a logistics company and cut their page load times by more than half.",
    "I recently finished a project for a health-care startup with almost the same requirements, happy to walk you through it on a call.",
    "I've done around 50 projects here with a 5-star average, many of them for small teams without an in-house developer.",
    "For a previous client I took over a half-finished codebase, added tests, and shipped the missing features within six weeks.",
    "You can see a few relevant examples in my portfolio, the booking platform and the analytics dashboard are the closest.",
]
COVER_APPROACH = [
    "I'd start with a short audit of the current code, then agree on milestones so you always know where things stand.",
    "My usual approach is small, reviewable pull requests and a short written update at the end of each day I work.",
    "I'd suggest splitting this into two phases: the core flow first, then the reporting and admin pieces.",
    "I'll write tests as I go, so whoever works on this after me has a safety net.",
]
COVER_QUESTION = [
    "Quick question: is there an existing design, or would you like me to propose one?",
    "Could you share whether this is a new codebase or an existing one?",
    "Do you have a target launch date in mind?",
    "Is the current app deployed on AWS, or somewhere else?",
]
COVER_SIGNOFF = [
    "Looking forward to hearing from you!\nMaya",
    "Thanks for considering my proposal.\nBest, Maya",
    "Happy to jump on a quick call if that helps.\nMaya",
]

AGENCY_COVER_HOOKS = [
    "Hi, we're BrightPath Studio, a small product team of designers and developers.",
    "Hello! This project fits our studio well: we've shipped several {stack} projects for clients like you.",
    "Hi there, thanks for the detailed brief on {job_lower}.",
]
AGENCY_COVER_BODY = [
    "Our lead developer would own the build end to end, with our project manager as your single point of contact.",
    "We usually start with a one-week discovery sprint, then deliver in two-week milestones with a demo at the end of each.",
    "You'd get a designer and a developer working together, so design decisions don't get lost in translation.",
]
AGENCY_COVER_SIGNOFF = [
    "Happy to share case studies on a call.\nSofia, BrightPath Studio",
    "Looking forward to hearing from you.\nThe BrightPath team",
]

RECEIVED_HIGH = [
    "{f} was fantastic. Clear communication, great code quality and always delivered on time. The {feat} works exactly as we hoped.",
    "Excellent developer. {f} took the time to understand our business and suggested improvements we hadn't thought of. Will hire again.",
    "{f} clearly knows {stack} inside out. Highly recommended, and we'll be back with the next project.",
    "{f} picked up a messy codebase and turned it around quickly. Very professional and easy to work with.",
    "Great experience from start to finish. Daily updates, clean pull requests, and the {feat} shipped a week early.",
    "Knowledgeable, responsive and honest about trade-offs. {f} is the kind of developer you want on a long project.",
    "Really solid work on the {feat}. {f} explained technical choices in plain English, which our non-technical team appreciated.",
    "Fast, reliable, and thorough. We had zero bugs reported after launch.",
    "{f} went above and beyond, including documentation and a video walkthrough for our team.",
    "A pleasure to work with. Would give six stars if I could.",
]
RECEIVED_MID = [
    "Good work overall and the {feat} works well. Communication was a bit slow at times, but the result was solid.",
    "{f} knows the technology well. The project took longer than estimated, partly due to changes on our side.",
    "Competent developer. A few bugs slipped into production, but {f} fixed them quickly once reported.",
    "Did what was asked. I would have liked more proactive updates, but the code quality was good.",
]
GIVEN_HIGH = [
    "{c} was a great client: clear requirements, quick feedback and always paid on time. Would happily work together again.",
    "Wonderful to work with {co_or_c}. Well organised, respectful of my time and open to suggestions.",
    "{c} knows exactly what they want and explains it well. Highly recommended client.",
    "Great communication and a fun project. Thanks {c}!",
    "One of my favourite clients. Decisions were made quickly and feedback was always constructive.",
    "{c} gave me the context I needed and trusted me with the technical decisions. Would love to work together again.",
]
GIVEN_MID = [
    "Nice people to work with, though requirements changed quite a bit during the project.",
    "Payment was always prompt. Feedback sometimes took a while because {c} was very busy.",
    "Good project overall. The scope grew along the way, which made estimating difficult.",
]


def score_high():
    return pick([5.0, 5.0, 5.0, 5.0, 5.0, 4.95, 4.9, 4.85, 4.8, 4.75])


def score_mid():
    return pick([3.5, 3.75, 3.9, 4.0, 4.1, 4.25, 4.4])


def review_pair(ctx, ended, p_received=0.9, p_given=0.92, received_pools=None, given_pools=None):
    """Feedback both ways on an ended contract, dates after it ended."""
    rh, rm = received_pools or (RECEIVED_HIGH, RECEIVED_MID)
    gh, gm = given_pools or (GIVEN_HIGH, GIVEN_MID)
    received = given = None
    if R.random() < p_received:
        high = R.random() < 0.86
        date = min(ended + timedelta(days=R.randint(0, 6), hours=R.randint(0, 10)), AS_OF - timedelta(hours=3))
        received = {
            "score": score_high() if high else score_mid(),
            "comment": fill(pick(rh if high else rm), ctx),
            "date": iso(date),
        }
    if R.random() < p_given:
        high = R.random() < 0.9
        date = min(ended + timedelta(days=R.randint(0, 4), hours=R.randint(1, 12)), AS_OF - timedelta(hours=2))
        given = {
            "score": score_high() if high else score_mid(),
            "comment": fill(pick(gh if high else gm), ctx),
            "date": iso(date),
        }
    return received, given


# ---------------------------------------------------------------------------
# ledgers


class Ledger:
    """Transactions of one account; ids and running balances come last."""

    def __init__(self):
        self.rows = []

    def add(self, date, kind, description, amount, counterparty=None, contract_id=None,
            status="available", available_on=None, release=None):
        assert date <= AS_OF, (date, description)
        self.rows.append(
            {
                "date": date,
                "kind": kind,
                "description": description,
                "counterparty": counterparty,
                "contract_id": contract_id,
                "amount": int(amount),
                "status": status,
                "available_on": available_on,
                "_release": release or date,
            }
        )

    def earning(self, date, kind, description, gross, counterparty, contract_id, release, fee_rate,
                fee_desc):
        """An earning and its service fee, released together."""
        if release <= AS_OF:
            status, avail = "available", None
        else:
            status, avail = ("in-review" if kind == "hourly" else "pending"), release
        self.add(date, kind, description, gross, counterparty, contract_id, status, avail, release)
        fee = -int(round(gross * fee_rate))
        self.add(date, "service-fee", fee_desc, fee, counterparty, contract_id, status, avail, release)

    def sorted(self):
        self.rows.sort(key=lambda r: r["date"])
        return self.rows

    def available_sum(self, until, need_release=True):
        total = 0
        for r in self.rows:
            if r["status"] != "available" or r["date"] > until:
                continue
            if need_release and r["_release"] > until:
                continue
            total += r["amount"]
        return total

    def add_withdrawals(self, dates, method, fee_cents, target_final, buffer_range):
        """Withdraw regularly; the last withdrawal leaves about `target_final`."""
        self.sorted()
        dates = sorted(dates)
        for i, d in enumerate(dates):
            last = i == len(dates) - 1
            withdrawable = self.available_sum(d)
            balance = self.available_sum(d, need_release=False)
            room = min(withdrawable, balance) - fee_cents
            if last:
                after = sum(r["amount"] for r in self.rows if r["status"] == "available" and r["date"] > d)
                amount = balance - fee_cents + after - target_final
                assert 0 < amount <= room, ("final withdrawal out of range", amount, room)
            else:
                amount = room - 5000 - R.randint(*buffer_range) * 100
                if R.random() < 0.6:
                    amount = round_to(amount, 10000)
                if amount < 20000:
                    continue
            self.add(d, "withdrawal", f"Withdrawal to {method}", -amount)
            self.add(d + timedelta(seconds=1), "withdrawal-fee", f"Withdrawal fee: {method}", -fee_cents)
            self.sorted()

    def finalize(self):
        rows = self.sorted()
        balance = 0
        out = []
        for r in rows:
            if r["status"] == "available":
                balance += r["amount"]
                assert balance >= 0, ("negative running balance", iso(r["date"]), r["description"], balance)
            out.append(
                {
                    "id": TX_IDS.next(),
                    "date": iso(r["date"]),
                    "kind": r["kind"],
                    "description": r["description"],
                    "counterparty": r["counterparty"],
                    "contract_id": r["contract_id"],
                    "amount": r["amount"],
                    "balance_after": balance,
                    "status": r["status"],
                    "available_on": iso(r["available_on"]) if r["available_on"] else None,
                }
            )
        return out


def hourly_weeks(start, stop, limit, rng_lo=0.35, rng_hi=1.0, skip=0.05):
    """(week_monday, minutes) for each billed week from start until stop."""
    weeks = []
    wk = monday(start)
    while wk < stop and wk + timedelta(days=7) <= AS_OF:
        worked_days = 7
        if wk < start:
            worked_days = 7 - (start - wk).days
        if wk + timedelta(days=7) > stop:
            worked_days = min(worked_days, (stop - wk).days)
        if worked_days > 0 and R.random() >= skip:
            frac = R.uniform(rng_lo, rng_hi) * min(1.0, worked_days / 5)
            minutes = int(limit * 60 * frac) // 10 * 10
            if minutes >= 30:
                weeks.append((wk, minutes))
        wk += timedelta(days=7)
    return weeks


# ---------------------------------------------------------------------------
# freelancer: Maya Okafor

PROJECTS = [
    ("Next.js storefront rebuild for a specialty coffee roaster", "Next.js and the Shopify Storefront API", ["product listing page", "cart drawer", "checkout handoff", "subscription signup", "order confirmation emails"]),
    ("Django admin performance fixes", "Django and PostgreSQL", ["orders changelist", "customer detail page", "CSV export", "search indexes", "slow query logging"]),
    ("React dashboard for greenhouse sensor data", "React, TypeScript and FastAPI", ["live temperature chart", "alert thresholds", "device list", "CSV download", "magic link login"]),
    ("Migrate marketing site from WordPress to headless Sanity", "Next.js and Sanity", ["content model", "blog templates", "redirect map", "image pipeline", "preview mode"]),
    ("REST API for a dog-walking mobile app", "Node.js, Express and PostgreSQL", ["walker availability endpoint", "booking flow", "push notification hooks", "Stripe Connect payouts", "admin reports"]),
    ("Shopify custom app: subscription box add-ons", "Remix and the Shopify Admin API", ["add-on picker", "webhook handlers", "billing attempts", "merchant settings page"]),
    ("Class booking system for a yoga studio", "Next.js and Supabase", ["class schedule", "membership passes", "waitlist", "instructor dashboard", "reminder emails"]),
    ("Inventory tracker for a furniture workshop (Rails)", "Ruby on Rails and Hotwire", ["parts catalogue", "stock movements", "low-stock alerts", "barcode scanning page", "monthly report"]),
    ("Stripe Billing integration for B2B SaaS", "Node.js and Stripe", ["pricing table", "customer portal", "proration on plan changes", "invoice webhooks", "dunning emails"]),
    ("Vue 2 to Vue 3 migration", "Vue 3, Vite and Pinia", ["router upgrade", "Vuex to Pinia stores", "component library swap", "unit tests", "build pipeline"]),
    ("Add Google and Okta SSO to our SaaS app", "Django and python-social-auth", ["SAML settings screen", "just-in-time provisioning", "domain verification", "login page", "audit log"]),
    ("Accessibility fixes to reach WCAG 2.1 AA", "React and Testing Library", ["main navigation menu", "form error messages", "colour contrast tokens", "modal focus handling", "skip links"]),
    ("Realtime chat for a tutoring platform", "Node.js, Socket.IO and Redis", ["chat rooms", "typing indicators", "file uploads", "unread counts", "message moderation"]),
    ("CSV import pipeline for a property management tool", "Python, Celery and PostgreSQL", ["column mapping screen", "validation report", "background jobs", "duplicate detection", "import history"]),
    ("PDF invoice generation service", "Node.js and Puppeteer", ["invoice template", "tax calculation", "S3 storage", "email delivery", "re-send endpoint"]),
    ("Laravel bug fixes and small features", "Laravel and MySQL", ["password reset flow", "queue workers", "report filters", "PHP 8.2 upgrade"]),
    ("MVP backend on Supabase for a meal-planning app", "Supabase, Postgres and Edge Functions", ["row level security", "recipe search", "shopping list sync", "auth flows"]),
    ("SMS appointment reminders with Twilio", "Django and Twilio", ["reminder scheduler", "opt-out handling", "two-way replies", "delivery status webhooks"]),
    ("GraphQL API layer over legacy REST services", "Apollo Server and TypeScript", ["schema design", "DataLoader batching", "auth directives", "persisted queries", "error mapping"]),
    ("Sales analytics dashboard", "Next.js, Chart.js and PostgreSQL", ["revenue by region chart", "cohort table", "date range picker", "weekly email digest"]),
    ("HubSpot and Zapier integration for a CRM add-on", "Node.js and the HubSpot API", ["OAuth connection", "contact sync", "Zapier triggers", "rate-limit handling"]),
    ("Docker and GitHub Actions CI setup", "Docker, GitHub Actions and AWS ECS", ["Dockerfiles", "test workflow", "preview deployments", "secrets management"]),
    ("Multi-tenant onboarding flow for an HR SaaS", "React and Node.js", ["workspace creation", "teammate invites", "employee CSV import", "onboarding checklist"]),
    ("Core Web Vitals improvements for an e-commerce site", "Next.js on Vercel", ["product page LCP", "image optimisation", "third-party scripts", "font loading"]),
    ("End-to-end test suite with Playwright", "Playwright and GitHub Actions", ["checkout tests", "auth fixtures", "visual snapshots", "flaky test triage"]),
    ("Donation platform for a community food bank", "Django and Stripe", ["donation form", "recurring gifts", "tax receipts", "volunteer sign-up"]),
    ("Event ticketing site for a regional conference", "Next.js, Stripe and Postgres", ["ticket tiers", "promo codes", "QR check-in page", "attendee export"]),
    ("Internal admin panel for a logistics startup", "React Admin and Node.js", ["shipments table", "driver assignment", "status timeline", "role permissions"]),
    ("Patient portal for a dental group", "Next.js and Django REST Framework", ["appointment history", "insurance card upload", "secure messaging", "billing page"]),
    ("Chrome extension for our recruiting team", "TypeScript and Chrome Manifest V3", ["profile parser", "ATS sync", "settings popup", "backend API"]),
    ("Firebase to Postgres migration", "Node.js, Prisma and PostgreSQL", ["data export scripts", "schema mapping", "auth migration", "dual-write period"]),
    ("Course progress and quizzes for our LMS", "Django and React", ["progress tracking", "quiz builder", "certificates", "instructor analytics"]),
    ("Online ordering site for a restaurant", "Next.js and the Square API", ["menu sync", "pickup time slots", "order status page", "kitchen ticket printing"]),
    ("Fix and extend a legacy PHP booking site", "PHP, jQuery and MySQL", ["double-booking check", "calendar view", "PHP 8 upgrade", "admin exports"]),
    ("Listings scraper and search API", "Python, Playwright and FastAPI", ["listing scraper", "deduplication", "search endpoint", "daily refresh job"]),
    ("Member directory for a professional association", "WordPress with a custom plugin", ["member profiles", "renewal reminders", "search filters", "CRM sync"]),
    ("Landing page and waitlist for a fintech launch", "Astro, Tailwind and ConvertKit", ["hero section", "waitlist form", "referral links", "analytics events"]),
    ("Fleet tracking web app", "React, Leaflet and Node.js", ["live vehicle map", "trip history", "geofence alerts", "driver reports"]),
    ("Headless checkout for a bike shop", "Next.js and BigCommerce", ["cart API", "shipping rates", "gift cards", "order emails"]),
    ("Telehealth waiting room", "React, Twilio Video and Node.js", ["waiting room queue", "video call page", "provider dashboard", "session notes"]),
    ("Newsletter migration to Ghost", "Ghost and Node.js", ["subscriber import", "paid tiers", "theme changes", "Stripe reconnection"]),
    ("Podcast website with episode player", "Astro and RSS", ["episode pages", "audio player", "RSS import", "transcript search"]),
    ("Grant application portal for a foundation", "Django and HTMX", ["application form", "reviewer scoring", "file uploads", "decision emails"]),
    ("API rate limiting and caching layer", "Node.js and Redis", ["rate limiter", "cache invalidation", "metrics", "load tests"]),
]

FREELANCER_CLIENTS = [
    ("Tom", "Becker", "Fernhill Outdoors"),
    ("Aaliyah", "Brooks", "Mosaic Health Partners"),
    ("Chris", "Nakamura", "Parcelly"),
    ("Rachel", "Goldberg", "Oakridge Legal"),
    ("Diego", "Santos", "Trailhead Bikes"),
    ("Emily", "Carter", None),
    ("Marcus", "Feld", "Kitewire"),
    ("Hye-jin", "Park", "Lumen Learning Labs"),
    ("Patrick", "O'Neill", "Quillstone Publishing"),
    ("Fatima", "Rahman", "Saffron Table"),
    ("Greg", "Howell", "Atlas Freight Partners"),
    ("Lena", "Fischer", "Stackhouse Games"),
    ("Andre", "Williams", "Cobalt Fitness"),
    ("Sophie", "Laurent", "Meridian Travel"),
    ("Kwame", "Asante", "Greenlight Solar"),
    ("Julia", "Moreno", "Tidewater Yoga"),
    ("Ryan", "McAllister", None),
    ("Ingrid", "Solberg", "Verdant Home Goods"),
    ("David", "Kim", "Brightwell Dental Group"),
    ("Natalie", "Reyes", "Juniper HR"),
    ("Owen", "Price", "Northbeam Media"),
    ("Amira", "Khalil", "Rivermark Credit Union"),
    ("Sam", "Delaney", None),
    ("Yuki", "Tanaka", "Penrose Architecture"),
    ("Victor", "Hale", "PetPal Vet Clinics"),
    ("Claire", "Donovan", "Bluebird Events"),
    ("Mateo", "Ruiz", "Little Sprout Daycare"),
    ("Hannah", "Cole", "Riverside Community Food Bank"),
    ("Isaac", "Brennan", "Sable & Sons Furniture"),
    ("Priscilla", "Adeyemi", "Hatch & Hollow"),
    ("Noah", "Lindqvist", "Waypoint Recruiting"),
    ("Grace", "Holloway", "The Holloway Foundation"),
    ("Ethan", "Marsh", "Signal Hill Podcasts"),
    ("Zara", "Qureshi", "Finch Telehealth"),
    ("Lucas", "Meyer", None),
    ("Olga", "Ivanova", "Pixel Harbor"),
]

EXTRA_JOBS = [
    ("Senior React developer for fintech dashboard", "React and TypeScript", ["transactions table", "charts"]),
    ("Build a Stripe-powered membership site", "Next.js and Stripe", ["membership tiers", "paywall"]),
    ("Fix slow Postgres queries in our reporting module", "PostgreSQL", ["monthly report", "query plans"]),
    ("Convert Figma designs to a responsive Next.js site", "Next.js and Tailwind", ["home page", "pricing page"]),
    ("Python developer to build an internal API", "FastAPI and PostgreSQL", ["auth", "reporting endpoints"]),
    ("Long-term full-stack developer for a SaaS startup", "React and Node.js", ["billing", "onboarding"]),
    ("Help migrate a Rails app to Heroku alternatives", "Ruby on Rails and Render", ["deploy scripts", "background workers"]),
    ("Integrate QuickBooks Online with our web app", "Node.js and the QuickBooks API", ["invoice sync", "OAuth"]),
    ("Build an MVP marketplace for local tutors", "Next.js and Supabase", ["tutor profiles", "booking"]),
    ("WooCommerce to Shopify migration", "Shopify", ["product import", "redirects"]),
    ("Add multi-language support to a Next.js site", "Next.js i18n", ["locale routing", "translations"]),
    ("Developer for a nonprofit volunteer scheduling app", "Django", ["shift calendar", "reminders"]),
    ("AWS cost review and infrastructure cleanup", "AWS and Terraform", ["cost report", "cleanup plan"]),
    ("Build admin dashboard for an e-bike rental company", "React and Node.js", ["fleet overview", "rentals"]),
    ("Set up automated backups and monitoring for Postgres", "PostgreSQL and AWS", ["backups", "alerts"]),
    ("Integrate OpenAI API into our support tool", "Node.js", ["reply suggestions", "ticket summaries"]),
    ("Rebuild our clinic booking widget", "React", ["availability picker", "confirmation"]),
    ("Web app for tracking construction site inspections", "React and Django", ["checklists", "photo uploads"]),
    ("Create customer referral program feature", "Node.js and React", ["referral links", "rewards"]),
    ("Build a simple CRM for a roofing company", "Laravel", ["leads", "quotes"]),
    ("Fix checkout bugs on our Shopify Plus store", "Shopify Plus", ["checkout", "discounts"]),
    ("Full-stack developer for a climate data startup", "Python and React", ["data pipeline", "maps"]),
    ("Migrate our app from Create React App to Vite", "React and Vite", ["build config", "env variables"]),
    ("Build real-time order tracking for a bakery chain", "Node.js and WebSockets", ["order status", "driver app"]),
    ("Improve SEO and page speed for a travel blog", "WordPress", ["page speed", "schema markup"]),
    ("Add role-based permissions to our internal tool", "Django", ["roles", "admin screens"]),
    ("Build a waitlist and referral page for our app launch", "Next.js", ["waitlist", "referrals"]),
    ("Develop a B2B ordering portal for a wholesale distributor", "Next.js and PostgreSQL", ["catalogue", "reorders"]),
    ("Connect our app to Google Calendar and Outlook", "Node.js", ["calendar sync", "OAuth"]),
    ("Dashboard for a solar installation company", "React and Node.js", ["install tracker", "reports"]),
    ("Build API integrations for a freight broker", "Python", ["carrier API", "rate quotes"]),
    ("Rebuild an old Angular.js app in React", "React", ["forms", "routing"]),
    ("Add two-factor authentication to our platform", "Node.js", ["TOTP setup", "recovery codes"]),
    ("Developer to maintain several client WordPress sites", "WordPress and PHP", ["updates", "plugin fixes"]),
    ("Build a quoting calculator for a landscaping business", "React", ["price rules", "PDF quote"]),
    ("Set up a headless CMS for our documentation", "Next.js and Contentful", ["docs pages", "search"]),
    ("Data visualisation dashboard for a research team", "D3.js and Python", ["charts", "data export"]),
    ("Build a Slack bot for our sales team", "Node.js and the Slack API", ["commands", "CRM lookup"]),
    ("Refactor a legacy Express API to TypeScript", "TypeScript and Express", ["types", "tests"]),
    ("Implement search with Algolia on our marketplace", "Algolia and React", ["search UI", "indexing"]),
    ("Create a customer loyalty points system", "Node.js and PostgreSQL", ["points ledger", "rewards page"]),
    ("Build a job board for a trade association", "Next.js and Postgres", ["job listings", "employer accounts"]),
    ("Fix broken Stripe webhooks after API upgrade", "Stripe and Node.js", ["webhooks", "retries"]),
    ("Build a photo gallery site with client proofing", "Next.js and Cloudinary", ["galleries", "proofing"]),
    ("Full-stack developer for Web3 wallet dashboard", "React and ethers.js", ["wallet connect", "balances"]),
    ("Optimise our Django app for high traffic event", "Django and Redis", ["caching", "load tests"]),
    ("Build a simple internal wiki with search", "Next.js", ["pages", "search"]),
    ("React Native developer for a fitness app", "React Native", ["workouts", "sync"]),
]

PROPOSAL_CLIENTS = [
    "Arcadia Home Health", "Blue Fern Studio", "Cartwright & Lowe", "Dovetail Robotics", "Evergreen Analytics",
    "Foxglove Florals", "Granite Peak Roofing", "Helio Climate", "Ironclad Storage", "Jasper & Co", "Keystone Freight",
    "Larkspur Bakery", "Maple Street Clinic", "Nimbus Payments", "Orchard Learning", "Pinnacle Realty Group",
    "Quarry Lane Wholesale", "Redwood Tutors", "Silverline Logistics", "Thistle Travel", "Umber Games",
    "Vantage Health Partners", "Willow Creek Dental", "Yellowtail Media", "Zephyr Bikes", "Alder & Ash",
    "Beacon Nonprofit Network", "Coastline Surf Co", "Driftwood Coffee", "Ember Fitness", "Fieldnote Research",
    "Gable Construction", "Harborview Events", "Inkwell Publishing", "Juniper Outdoor", "Kestrel Security",
    "Lantern Labs", "Meadowbrook Farms", "Northstar Tax", "Oakhurst Legal", "Private client",
]


def rate_at(dt):
    """Maya's hourly rate in cents at a point of her career."""
    years = (dt - datetime(2022, 11, 1, tzinfo=UTC)).days / 365.0
    dollars = 55 + 10 * years  # $55 to about $95
    return int(round(dollars / 5) * 5) * 100


def freelancer_account():
    me = "Maya Okafor"
    me_first = "Maya"
    member_since = datetime(2022, 11, 7, 16, 24, tzinfo=UTC)
    career_start = datetime(2022, 11, 28, tzinfo=UTC)

    contract_ids = Counter("c-{}", 1001)
    ledger = Ledger()
    contracts = []
    feedback = []
    rooms = []
    clients_cycle = list(FREELANCER_CLIENTS)
    R.shuffle(clients_cycle)
    projects = list(PROJECTS)
    R.shuffle(projects)

    # ---- plan the contracts -------------------------------------------------
    plan = []  # dicts with kind, start, end, status, title, client...

    def next_client(i):
        return clients_cycle[i % len(clients_cycle)]

    # Two lanes of hourly work that end before the current hourly contracts.
    lanes = [
        (career_start + timedelta(days=21), datetime(2025, 6, 2, tzinfo=UTC), (10, 26), (20, 30, 40)),
        (career_start + timedelta(days=70), datetime(2026, 9, 7, tzinfo=UTC), (5, 18), (10, 15, 20)),
    ]
    hourly_specs = []
    for lane_start, lane_end, (dmin, dmax), limits in lanes:
        t = lane_start
        while True:
            weeks = R.randint(dmin, dmax)
            end = t + timedelta(weeks=weeks, days=R.randint(0, 4))
            if end > lane_end - timedelta(days=10):
                break
            hourly_specs.append((t, end, R.choice(limits)))
            t = end + timedelta(days=R.randint(3, 28))
    # Fixed-price projects across the career.
    fixed_specs = []
    n_fixed = 60 - 4 - len(hourly_specs)
    span_days = (datetime(2026, 10, 20, tzinfo=UTC) - career_start).days
    for i in range(n_fixed):
        start = career_start + timedelta(days=int(span_days * (i + R.random()) / n_fixed))
        fixed_specs.append(start)

    pi = 0
    ci = 0
    for start, end, limit in hourly_specs:
        plan.append(dict(kind="hourly", start=start, end=end, limit=limit, status="ended",
                         project=projects[pi % len(projects)], client=next_client(ci)))
        pi += 1
        ci += 1
    for start in fixed_specs:
        plan.append(dict(kind="fixed-price", start=start, status="ended",
                         project=projects[pi % len(projects)], client=next_client(ci)))
        pi += 1
        ci += 1

    # The current work: two active hourly, one paused hourly, one active fixed.
    plan.append(dict(kind="hourly", start=datetime(2025, 6, 9, 15, tzinfo=UTC), end=None, limit=20,
                     status="active", rate=8500,
                     project=("Ongoing full-stack development (React / Node.js)", "React, Node.js and PostgreSQL",
                              ["reconciliation screen", "bank feed importer", "audit trail", "invoice matching", "role permissions", "month-end report"]),
                     client=("Jordan", "Ellis", "Ledgerline")))
    plan.append(dict(kind="hourly", start=datetime(2026, 9, 14, 14, tzinfo=UTC), end=None, limit=15,
                     status="active", rate=9500,
                     project=("Part-time Next.js + Postgres developer for analytics product", "Next.js, tRPC and PostgreSQL",
                              ["saved reports", "dashboard sharing", "query builder", "scheduled exports", "usage metering"]),
                     client=("Nadia", "Petrov", "Tallgrass Analytics")))
    plan.append(dict(kind="hourly", start=datetime(2026, 4, 20, 16, tzinfo=UTC), end=datetime(2026, 10, 19, tzinfo=UTC),
                     limit=10, status="paused", rate=9000,
                     project=("Shopify storefront maintenance and improvements", "Shopify, Liquid and a small Node.js app",
                              ["wholesale price lists", "subscription product page", "gift card flow", "theme speed fixes"]),
                     client=("Ben", "Alvarez", "Harbor & Pine Coffee Co.")))
    plan.append(dict(kind="fixed-price", start=datetime(2026, 10, 12, 17, tzinfo=UTC), status="active",
                     project=("Map-based property search with Mapbox", "React, Mapbox GL and PostGIS",
                              ["map clustering", "draw-to-search", "listing cards", "saved searches", "URL state"]),
                     client=("Sarah", "Whitman", "Copperleaf Realty")))

    plan.sort(key=lambda p: p["start"])
    titles_seen = set()

    for p in plan:
        cid = contract_ids.next()
        title, stack, feats = p["project"]
        if title in titles_seen:
            title = title + " (phase 2)"
        titles_seen.add(title)
        cf, cl, company = p["client"]
        client_name = f"{cf} {cl}"
        p.update(id=cid, title=title, stack=stack, feats=feats, client_name=client_name, company=company,
                 client_first=cf)
        ctx = dict(c=cf, f=me_first, feats=feats, stack=stack, title=title, co_or_c=company or cf,
                   client_name=client_name, free_name=me)
        p["ctx"] = ctx
        c = {
            "id": cid,
            "title": title,
            "counterparty": client_name,
            "counterparty_company": company,
            "kind": p["kind"],
            "status": p["status"],
            "started": iso(p["start"]),
            "ended": None,
            "hourly_rate": None,
            "weekly_limit_hours": None,
            "total_billed": 0,
            "hours_billed": None,
            "milestones": [],
            "assignee": None,
        }
        total = 0
        if p["kind"] == "hourly":
            rate = p.get("rate") or rate_at(p["start"])
            stop = p["end"] or AS_OF
            minutes_total = 0
            for wk, minutes in hourly_weeks(p["start"], stop, p["limit"]):
                gross = int(round(minutes * rate / 60))
                date = wk + timedelta(days=7)  # billed when the week closes
                ledger.earning(
                    date, "hourly",
                    f"Invoice for {week_label(wk)}: {hhmm(minutes)} @ {usd(rate)}/hr",
                    gross, client_name, cid, hourly_available_on(wk), FREELANCER_FEE,
                    f"Service fee (10%) for hourly work {week_label(wk)}",
                )
                total += gross
                minutes_total += minutes
            c.update(hourly_rate=rate, weekly_limit_hours=p["limit"], hours_billed=round(minutes_total / 60, 2))
            if p["status"] == "ended":
                c["ended"] = iso(at_work_hour(p["end"]))
            p["last"] = p["end"] or AS_OF
        else:
            total = fixed_contract(p, c, ledger, me_first, FREELANCER_FEE)
        # Occasional bonus on ended contracts.
        if p["status"] == "ended" and R.random() < 0.25:
            bdate = at_work_hour(p["last"] + timedelta(days=R.randint(0, 3)))
            if bdate < AS_OF - timedelta(days=6):
                amount = R.choice([5000, 10000, 15000, 20000, 25000, 50000])
                note = pick(["Thanks for the great work!", "For the weekend hotfix, much appreciated",
                             "Launch went perfectly, thank you", "Thank you for going the extra mile"])
                ledger.earning(bdate, "bonus", f"Bonus: {note}", amount, client_name, cid,
                               bdate + timedelta(days=5), FREELANCER_FEE, "Service fee (10%) for bonus")
                total += amount
        c["total_billed"] = total
        p["total"] = total
        contracts.append(c)

        if p["status"] == "ended":
            received, given = review_pair(ctx, datetime.fromisoformat(c["ended"].replace("Z", "+00:00")),
                                          p_received=0.88, p_given=0.9)
            if received or given:
                feedback.append({
                    "contract_id": cid,
                    "contract_title": title,
                    "counterparty": client_name,
                    "received": received,
                    "given": given,
                })

    # ---- money that is not contract earnings ---------------------------------
    # Connects purchases before Freelancer Plus, then the monthly membership.
    t = career_start + timedelta(days=38)
    plus_from = datetime(2024, 9, 1, tzinfo=UTC)
    while t < plus_from:
        n = pick([20, 40, 40, 60, 80])
        price = n * 15
        ledger.add(at_work_hour(t), "connects-purchase", f"Purchased {n} Connects", -price)
        t += timedelta(days=R.randint(20, 45))
    m = plus_from
    while m < AS_OF:
        d = m + timedelta(days=2, hours=9, minutes=R.randint(0, 50))
        if d < AS_OF:
            ledger.add(d, "connects-purchase", f"Freelancer Plus membership ({m:%b %Y})", -1999)
            if R.random() < 0.35:
                extra = at_work_hour(d + timedelta(days=R.randint(5, 20)))
                if extra < AS_OF:
                    ledger.add(extra, "connects-purchase", "Purchased 40 Connects", -600)
        m = (m + timedelta(days=32)).replace(day=1)

    # Withdrawals: most weeks on Wednesday afternoon, from 2023 on.
    dates = []
    w = monday(career_start + timedelta(days=40)) + timedelta(days=2)
    while w < AS_OF:
        dates.append(w + timedelta(hours=R.randint(14, 20), minutes=R.randint(0, 59)))
        w += timedelta(days=R.choice([7, 7, 7, 14]))
    last_w = datetime(2026, 11, 18, 17, 41, tzinfo=UTC)
    dates = [d for d in dates if d < last_w - timedelta(days=20)] + [last_w]
    ledger.add_withdrawals(dates, "Direct to U.S. Bank (ACH) ending in 4821", 99, 181_240, (0, 4))
    transactions = ledger.finalize()

    # ---- proposals and offers ---------------------------------------------------
    proposals, offers = freelancer_proposals(plan, me_first)

    # ---- rooms: the 31 most recent contracts + interviews -------------------------
    recent = sorted(plan, key=lambda p: p["start"])[-31:]
    for p in recent:
        weeks = max(1, ((p.get("last") or AS_OF) - p["start"]).days // 7)
        target = min(60, max(5, 6 + weeks * 2 + R.randint(-3, 6)))
        if p["status"] in ("active", "paused"):
            target = max(target, R.randint(30, 58))
        ms = [(m["title"], m["status"]) for m in p.get("milestones", [])]
        script = contract_script(p["ctx"], p["status"], target, milestones=ms)
        end = p.get("last") or AS_OF
        if p["status"] == "active":
            end = AS_OF - timedelta(hours=R.randint(6, 40))
        msgs = build_room_messages(p["ctx"], script, p["start"], end)
        rooms.append({
            "id": ROOM_IDS.next(),
            "topic": p["title"],
            "contract_id": p["id"],
            "participants": [me, p["client_name"]],
            "messages": trim_to(msgs, 60),
        })
    rooms.extend(interview_rooms(proposals, offers, me, me_first))

    gross = sum(t["amount"] for t in transactions if t["kind"] in ("hourly", "fixed-price", "bonus"))
    profile = {
        "account": {
            "id": "freelancer",
            "kind": "freelancer",
            "username": "maya_okafor",
            "display_name": me,
            "email": "maya.okafor@example.com",
            "member_since": iso(member_since),
        },
        "title": "Full-Stack Web Developer | React, Next.js, Node.js, Django, PostgreSQL",
        "overview": (
            "I help small teams ship web products that hold up in production. Over the last eight years "
            "I've built storefronts, booking systems, internal tools and SaaS dashboards for startups, "
            "clinics, nonprofits and e-commerce brands.\n\n"
            "What you can expect from me:\n"
            "- Clear, regular updates: you always know what I'm working on and what's next.\n"
            "- Small, reviewable pull requests with tests.\n"
            "- Honest estimates, and an early heads-up if something takes longer.\n\n"
            "I'm based in Atlanta and usually overlap with US and European business hours."
        ),
        "location": "Atlanta, GA, United States",
        "hourly_rate": 9500,
        "skills": ["React", "Next.js", "TypeScript", "Node.js", "Python", "Django", "PostgreSQL", "Stripe API",
                   "REST APIs", "GraphQL", "Tailwind CSS", "AWS", "Docker"],
        "profile_url": "https://demo-marketplace.example/freelancers/~01a7c3e59f2b84d6c1",
        "total_earnings": gross,
        "job_success_score": 97,
    }
    return {
        "as_of": iso(AS_OF),
        "profile": profile,
        "contracts": contracts,
        "proposals": proposals,
        "offers": offers,
        "job_posts": [],
        "team": [],
        "transactions": transactions,
        "feedback": feedback,
        "disputes": [],
        "rooms": rooms,
    }


def fixed_contract(p, c, ledger, me_first, fee_rate):
    """Milestones and their payments for a fixed-price contract; returns the total paid."""
    feats = p["feats"]
    start = p["start"]
    total = 0
    if p["status"] == "active" and p["id"] and p["client"][2] == "Copperleaf Realty":
        specs = [
            ("Map clustering and listing cards", 180000, "paid", datetime(2026, 10, 23, 18, 5, tzinfo=UTC)),
            ("Draw-to-search and filters", 220000, "paid", AS_OF - timedelta(days=2) + timedelta(hours=15, minutes=12)),
            ("Saved searches and shareable URLs", 160000, "in-escrow", datetime(2026, 12, 4, tzinfo=UTC)),
            ("QA and launch support", 90000, "pending", datetime(2026, 12, 18, tzinfo=UTC)),
        ]
    else:
        n = R.choice([1, 2, 2, 3, 3, 4])
        budget_dollars = R.choice([600, 900, 1200, 1500, 2000, 2500, 3200, 4000, 5500, 7000])
        budget = budget_dollars * 100 * (1 + (start.year - 2022) // 2)
        budget = min(budget, 1_200_000)
        weights = [R.uniform(0.6, 1.4) for _ in range(n)]
        amounts = [round_to(budget * w / sum(weights), 5000) for w in weights]
        amounts[-1] = budget - sum(amounts[:-1])
        specs = []
        t = start
        for i in range(n):
            t = on_weekday(t + timedelta(days=R.randint(6, 20)))
            feat = feats[i % len(feats)]
            mtitle = f"{feat[0].upper()}{feat[1:]}" if n > 1 else "Complete project"
            status = "refunded" if (R.random() < 0.03 and i == n - 1 and n > 1) else "paid"
            specs.append((mtitle, amounts[i], status, at_work_hour(t)))
        # ended contracts finish at least two weeks before today
        limit = AS_OF - timedelta(days=16)
        if specs[-1][3] > limit:
            shift = specs[-1][3] - limit
            specs = [(a, b, s, d - shift) for a, b, s, d in specs]
            if specs[0][3] < start:
                p["start"] = start = specs[0][3] - timedelta(days=7)
                c["started"] = iso(start)
    milestones = []
    for i, (mtitle, amount, status, date) in enumerate(specs, 1):
        due = date if status in ("in-escrow", "pending") else day_start(date) + timedelta(days=R.randint(0, 3))
        milestones.append({"title": mtitle, "amount": amount, "status": status, "due": iso(due)})
        if status == "paid":
            ledger.earning(date, "fixed-price", f"Milestone {i}: {mtitle}", amount, p["client_name"], p["id"],
                           date + timedelta(days=5), fee_rate, f"Service fee (10%) for milestone {i}")
            total += amount
    c["milestones"] = milestones
    p["milestones"] = milestones
    paid_dates = [d for _, _, s, d in specs if s in ("paid", "refunded")]
    p["last"] = max(paid_dates) if paid_dates else AS_OF
    if p["status"] == "ended":
        c["ended"] = iso(p["last"] + timedelta(hours=R.randint(1, 30)))
        p["last"] = datetime.fromisoformat(c["ended"].replace("Z", "+00:00"))
    return total


def cover_letter(job, stack):
    ctx = dict(job=job, job_lower=job[0].lower() + job[1:], stack=stack)
    parts = [pick(COVER_HOOKS), pick(COVER_PROOF), pick(COVER_APPROACH), pick(COVER_QUESTION), pick(COVER_SIGNOFF)]
    return "\n\n".join(x.format(**ctx) for x in parts)


def agency_cover_letter(job, stack):
    ctx = dict(job=job, job_lower=job[0].lower() + job[1:], stack=stack)
    parts = [pick(AGENCY_COVER_HOOKS), pick(AGENCY_COVER_BODY), pick(COVER_APPROACH), pick(AGENCY_COVER_SIGNOFF)]
    return "\n\n".join(x.format(**ctx).replace("I'll", "We'll").replace("I'd", "We'd").replace("My usual", "Our usual") for x in parts)


def connects_for(dt):
    if dt < datetime(2024, 1, 1, tzinfo=UTC):
        return R.choice([2, 4, 4, 6])
    return R.choice([8, 10, 12, 12, 14, 16])


def freelancer_proposals(plan, me_first):
    ids = Counter("p-{}", 2001)
    offer_ids = Counter("o-{}", 4001)
    proposals = []
    offers = []
    direct = 0
    for p in plan:
        # most contracts came from a proposal, repeat clients sent offers
        if p["status"] == "ended" and R.random() < 0.2 or p["client"][2] == "Tallgrass Analytics":
            if p["client"][2] != "Tallgrass Analytics":
                direct += 1
                amount = p.get("total") or 100000
                offers.append({
                    "id": None, "title": p["title"], "counterparty": p["client_name"],
                    "sent": iso(p["start"] - timedelta(days=R.randint(1, 4), hours=R.randint(0, 8))),
                    "status": "accepted", "kind": p["kind"],
                    "amount": rate_at(p["start"]) if p["kind"] == "hourly" else amount,
                })
                continue
        submitted = p["start"] - timedelta(days=R.randint(2, 12), hours=R.randint(0, 12))
        bid = (p.get("rate") or rate_at(p["start"])) if p["kind"] == "hourly" else (p.get("total") or 540000)
        proposals.append({
            "id": None, "job_title": p["title"], "client": p["company"] or p["client_name"],
            "submitted": iso(submitted), "status": "hired", "bid": bid, "bid_kind": p["kind"],
            "connects_spent": connects_for(submitted), "cover_letter": cover_letter(p["title"], p["stack"]),
        })
    # Lost, withdrawn and archived proposals across the career.
    career = (AS_OF - timedelta(days=20) - datetime(2022, 11, 20, tzinfo=UTC)).days
    statuses = ["declined"] * 44 + ["archived"] * 30 + ["withdrawn"] * 24
    R.shuffle(statuses)
    jobs = list(EXTRA_JOBS) + [pr for pr in PROJECTS]
    R.shuffle(jobs)
    for i, status in enumerate(statuses):
        submitted = datetime(2022, 11, 20, tzinfo=UTC) + timedelta(days=int(career * (i + R.random()) / len(statuses)),
                                                                  hours=R.randint(12, 23), minutes=R.randint(0, 59))
        job, stack, feats = jobs[i % len(jobs)]
        kind = R.choice(["hourly", "fixed-price"])
        bid = rate_at(submitted) if kind == "hourly" else R.choice([800, 1500, 2400, 3000, 4500, 6000, 8000]) * 100
        proposals.append({
            "id": None, "job_title": job, "client": pick(PROPOSAL_CLIENTS), "submitted": iso(submitted),
            "status": status, "bid": bid, "bid_kind": kind, "connects_spent": connects_for(submitted),
            "cover_letter": cover_letter(job, stack),
        })
    # Three open proposals from the last two weeks.
    open_jobs = [
        ("Full-stack developer to rebuild our booking flow in Next.js", "Willow Creek Dental", "Next.js", "hourly", 9500, 11),
        ("Stripe Connect marketplace payouts: integration and testing", "Nimbus Payments", "Node.js and Stripe", "fixed-price", 420000, 6),
        ("Postgres performance audit for a growing SaaS", "Evergreen Analytics", "PostgreSQL", "fixed-price", 180000, 2),
    ]
    for job, client, stack, kind, bid, days_ago in open_jobs:
        submitted = AS_OF - timedelta(days=days_ago) + timedelta(hours=R.randint(13, 21), minutes=R.randint(0, 59))
        proposals.append({
            "id": None, "job_title": job, "client": client, "submitted": iso(submitted), "status": "submitted",
            "bid": bid, "bid_kind": kind, "connects_spent": R.choice([12, 14, 16]),
            "cover_letter": cover_letter(job, stack),
        })
    proposals.sort(key=lambda x: x["submitted"])
    for pr in proposals:
        pr["id"] = ids.next()

    # Offers: accepted ones above, a few declined/expired, one pending.
    for title, who, status, days_ago, kind, amount in [
        ("Quick WordPress plugin fix", "Ryan McAllister", "declined", 610, "fixed-price", 30000),
        ("Part-time React developer (3 months)", "Owen Price", "expired", 402, "hourly", 6500),
        ("Emergency fix: checkout down on Black Friday", "Isaac Brennan", "declined", 366, "fixed-price", 80000),
    ]:
        offers.append({"id": None, "title": title, "counterparty": who,
                       "sent": iso(AS_OF - timedelta(days=days_ago, hours=R.randint(0, 9))),
                       "status": status, "kind": kind, "amount": amount})
    offers.append({"id": None, "title": "Property search phase 2: agent dashboard", "counterparty": "Sarah Whitman",
                   "sent": iso(AS_OF - timedelta(days=4) + timedelta(hours=16, minutes=37)),
                   "status": "pending", "kind": "fixed-price", "amount": 640000})
    offers.sort(key=lambda o: o["sent"])
    for o in offers:
        o["id"] = offer_ids.next()
    return proposals, offers


def interview_rooms(proposals, offers, me, me_first):
    rooms = []
    job_info = {j: (s, f) for j, s, f in EXTRA_JOBS + PROJECTS}
    people = ["Laura Bennett", "Kevin O'Brien", "Anita Desai", "Michael Torres", "Rebecca Lin", "Stefan Novak",
              "Chloe Martin", "Jamal Wright", "Irene Costa", "Paul Henderson"]
    lost = [p for p in proposals if p["status"] in ("declined", "archived")][-6:]
    open_ = [p for p in proposals if p["status"] == "submitted"][:2]
    for i, p in enumerate(lost + open_):
        who = people[i % len(people)]
        stack, feats = job_info.get(p["job_title"], ("React and Node.js", ["core feature", "admin screens"]))
        ctx = dict(c=who.split()[0], f=me_first, feats=feats, stack=stack, title=p["job_title"],
                   client_name=who, free_name=me, co_or_c=p["client"])
        script = [list(ex) for ex in pick(INTERVIEW_FLOWS)]
        script.append(pick(INTERVIEW_OPEN if p["status"] == "submitted" else INTERVIEW_REJECT))
        start = datetime.fromisoformat(p["submitted"].replace("Z", "+00:00")) + timedelta(hours=R.randint(5, 40))
        end = start + timedelta(days=R.randint(2, 9))
        if end > AS_OF:
            end = AS_OF - timedelta(hours=5)
        rooms.append({
            "id": ROOM_IDS.next(),
            "topic": f"Interview: {p['job_title']}",
            "contract_id": None,
            "participants": [me, who],
            "messages": build_room_messages(ctx, script, start, end),
        })
    pending = [o for o in offers if o["status"] == "pending"]
    for o in pending:
        ctx = dict(c=o["counterparty"].split()[0], f=me_first, feats=["agent dashboard"], stack="React",
                   title=o["title"], client_name=o["counterparty"], free_name=me, co_or_c=o["counterparty"])
        start = datetime.fromisoformat(o["sent"].replace("Z", "+00:00"))
        rooms.append({
            "id": ROOM_IDS.next(),
            "topic": f"Offer: {o['title']}",
            "contract_id": None,
            "participants": [me, o["counterparty"]],
            "messages": build_room_messages(ctx, [OFFER_ROOM[:2], OFFER_ROOM[2:]], start, start + timedelta(days=1)),
        })
    return rooms


# ---------------------------------------------------------------------------
# client: Priya Raman, Northwind Labs

CLIENT_HIRES = [
    # name, title, kind, rate/budget (cents), start, end or None, status, stack, feats, creative
    ("Hannah Schultz", "UX/UI redesign of the shipment tracking app", "fixed-price", 480000,
     datetime(2023, 3, 6, tzinfo=UTC), datetime(2023, 5, 2, tzinfo=UTC), "ended", "Figma",
     ["tracking screen", "onboarding flow", "design system"], "design"),
    ("Leo Martins", "React developer for the customer dashboard", "hourly", 6500,
     datetime(2023, 4, 17, tzinfo=UTC), datetime(2023, 10, 13, tzinfo=UTC), "ended", "React and TypeScript",
     ["shipment list", "delivery map", "notification settings", "invoices page"], False),
    ("Ravi Menon", "AWS infrastructure setup with Terraform", "fixed-price", 350000,
     datetime(2023, 6, 12, tzinfo=UTC), datetime(2023, 7, 21, tzinfo=UTC), "ended", "Terraform and AWS",
     ["VPC layout", "ECS services", "CI pipeline", "monitoring"], False),
    ("Grace Whitfield", "QA engineer: regression testing before launch", "hourly", 4500,
     datetime(2023, 9, 4, tzinfo=UTC), datetime(2023, 12, 8, tzinfo=UTC), "ended", "Cypress",
     ["regression suite", "bug triage", "mobile checks", "release checklist"], False),
    ("Chloe Dubois", "Illustrations for the marketing site", "fixed-price", 180000,
     datetime(2023, 11, 6, tzinfo=UTC), datetime(2023, 12, 15, tzinfo=UTC), "ended", "Illustrator",
     ["hero illustration", "feature icons", "empty state drawings"], "design"),
    ("Olivia Grant", "Website copy for the product relaunch", "fixed-price", 240000,
     datetime(2024, 1, 15, tzinfo=UTC), datetime(2024, 3, 1, tzinfo=UTC), "ended", "copywriting",
     ["home page copy", "pricing page copy", "case study"], "writing"),
    ("Mei Lin", "React Native driver app, phase 1", "fixed-price", 900000,
     datetime(2024, 3, 11, tzinfo=UTC), datetime(2024, 6, 14, tzinfo=UTC), "ended", "React Native and Expo",
     ["proof of delivery screen", "offline sync", "route list", "push notifications"], False),
    ("Tariq Aziz", "PostgreSQL performance consultant", "hourly", 11000,
     datetime(2024, 5, 6, tzinfo=UTC), datetime(2024, 6, 28, tzinfo=UTC), "ended", "PostgreSQL",
     ["slow reports", "index review", "connection pooling"], False),
    ("Jakub Nowak", "Security review and penetration test", "fixed-price", 520000,
     datetime(2024, 8, 5, tzinfo=UTC), datetime(2024, 9, 6, tzinfo=UTC), "ended", "web security",
     ["auth flows", "API endpoints", "report"], False),
    ("Isabela Rocha", "Product analytics setup (Mixpanel)", "hourly", 7500,
     datetime(2024, 10, 7, tzinfo=UTC), datetime(2025, 1, 24, tzinfo=UTC), "ended", "Mixpanel and Segment",
     ["event tracking plan", "funnel reports", "retention dashboard"], False),
    ("Ben Carter", "Blog migration to WordPress", "fixed-price", 150000,
     datetime(2025, 2, 10, tzinfo=UTC), datetime(2025, 3, 7, tzinfo=UTC), "ended", "WordPress",
     ["post import", "redirects", "theme setup"], False),
    ("Samuel Osei", "Data engineer: warehouse and ETL", "hourly", 9000,
     datetime(2025, 4, 14, tzinfo=UTC), datetime(2026, 10, 30, tzinfo=UTC), "ended", "dbt and BigQuery",
     ["shipments model", "nightly ETL", "finance dashboard", "data quality checks"], False),
    ("Mei Lin", "React Native driver app, phase 2", "fixed-price", 720000,
     datetime(2025, 9, 8, tzinfo=UTC), datetime(2025, 12, 12, tzinfo=UTC), "ended", "React Native and Expo",
     ["signature capture", "barcode scanning", "route optimisation"], False),
    ("Daniela Cruz", "UX writer for product onboarding", "hourly", 4500,
     datetime(2026, 6, 1, tzinfo=UTC), None, "active", "UX writing",
     ["onboarding emails", "empty state messages", "error messages", "help centre articles"], "writing"),
    ("Omar Haddad", "Go backend for the carrier rates API", "fixed-price", 840000,
     datetime(2026, 9, 21, tzinfo=UTC), None, "active", "Go and PostgreSQL",
     ["rate ingestion", "quote endpoint", "carrier adapters", "caching"], False),
]

CLIENT_GIVEN_HIGH = [
    "{f_first} did excellent work on the {feat}. Communicative, reliable and a pleasure to work with. Highly recommended.",
    "Really happy with the result. {f_first} asked the right questions up front and delivered on time.",
    "{f_first} is a true professional. We'll be hiring again for the next phase.",
    "Great quality and great attitude. {f_first} made our lives easier.",
]
CLIENT_GIVEN_MID = [
    "Good work overall, though deadlines slipped a couple of times. The {feat} turned out well in the end.",
    "{f_first} has solid skills. Communication could have been more proactive.",
]
CLIENT_RECEIVED_HIGH = [
    "Priya is a fantastic client: clear briefs, quick feedback and fair with scope changes.",
    "Working with Northwind Labs was great. Well organised team and prompt payments.",
    "Priya knows exactly what she wants and is great at giving context. Would work with her again.",
]
CLIENT_RECEIVED_MID = [
    "Nice team, but requirements changed a lot and feedback was sometimes slow.",
]


def client_account():
    me = "Priya Raman"
    contract_ids = Counter("c-{}", 3001)
    offer_ids = Counter("o-{}", 4501)
    job_ids = Counter("j-{}", 8001)
    ledger_rows = []  # (date, kind, description, amount, counterparty, contract, status, group)
    contracts = []
    feedback = []
    rooms = []
    offers = []
    job_posts = []
    card = "Visa ending in 4421"

    def charge(date, kind, desc, amount, who, cid, status="available"):
        ledger_rows.append(dict(date=date, kind=kind, description=desc, amount=amount, counterparty=who,
                                contract_id=cid, status=status))

    hires = []
    for (name, title, kind, price, start, end, status, stack, feats, creative) in CLIENT_HIRES:
        cid = contract_ids.next()
        c = {
            "id": cid, "title": title, "counterparty": name, "counterparty_company": None, "kind": kind,
            "status": status, "started": iso(start + timedelta(hours=R.randint(14, 20), minutes=R.randint(0, 59))),
            "ended": iso(end + timedelta(hours=R.randint(15, 22), minutes=R.randint(0, 59))) if end else None,
            "hourly_rate": price if kind == "hourly" else None,
            "weekly_limit_hours": R.choice([10, 20, 30]) if kind == "hourly" else None,
            "total_billed": 0, "hours_billed": None, "milestones": [], "assignee": None,
        }
        ctx = dict(c="Priya", f=name.split()[0], f_first=name.split()[0], feats=feats, stack=stack, title=title,
                   client_name=me, free_name=name, co_or_c="Northwind Labs")
        total = 0
        if kind == "hourly":
            minutes_total = 0
            stop = end or AS_OF
            weeks = hourly_weeks(start, stop, c["weekly_limit_hours"], 0.4, 1.0, 0.04)
            unpaid_weeks = []
            if status == "active":
                # the last two billed weeks failed to charge: the card expired
                unpaid_weeks = [w for w, _ in weeks[-3:-1]]
                weeks = weeks[:-1]  # the week that just ended is not invoiced until Monday noon
            for wk, minutes in weeks:
                if wk in unpaid_weeks:
                    continue
                gross = int(round(minutes * price / 60))
                date = wk + timedelta(days=7, hours=12)
                charge(date, "hourly", f"Invoice for {week_label(wk)}: {name}, {hhmm(minutes)} @ {usd(price)}/hr",
                       -gross, name, cid)
                charge(date, "service-fee", f"Marketplace fee (5%) for {week_label(wk)}",
                       -int(round(gross * CLIENT_FEE)), name, cid)
                total += gross
                minutes_total += minutes
            # the two unpaid invoices: about $640 together
            for wk, target_cents in zip(unpaid_weeks, (32480, 31520)):
                gross = round_to(int(target_cents / (1 + CLIENT_FEE)), 1)
                minutes = int(round(gross * 60 / price / 10)) * 10
                gross = int(round(minutes * price / 60))
                fee = int(round(gross * CLIENT_FEE))
                date = wk + timedelta(days=7, hours=12)
                charge(date, "hourly",
                       f"Invoice for {week_label(wk)}: {name}, {hhmm(minutes)} @ {usd(price)}/hr, incl. "
                       f"{usd(fee)} marketplace fee. Payment failed: card expired",
                       -(gross + fee), name, cid, status="unpaid")
                total += gross
                minutes_total += minutes
            c["hours_billed"] = round(minutes_total / 60, 2)
        else:
            n = len(feats) if len(feats) <= 4 else 4
            weights = [R.uniform(0.7, 1.3) for _ in range(n)]
            amounts = [round_to(price * w / sum(weights), 5000) for w in weights]
            amounts[-1] = price - sum(amounts[:-1])
            span = ((end or AS_OF + timedelta(days=40)) - start).days
            milestones = []
            for i in range(n):
                due = on_weekday(start + timedelta(days=int(span * (i + 1) / n)))
                mtitle = feats[i][0].upper() + feats[i][1:]
                if status == "active":
                    mstatus = ["paid", "paid", "in-escrow", "pending"][i]
                else:
                    mstatus = "paid"
                if title.startswith("Website copy") and i == n - 1:
                    mstatus = "refunded"
                milestones.append({"title": mtitle, "amount": amounts[i], "status": mstatus, "due": iso(due)})
                if mstatus in ("paid", "in-escrow", "refunded"):
                    fund = at_work_hour(max(start, due - timedelta(days=int(span / n))) + timedelta(hours=2))
                    fund = min(fund, AS_OF - timedelta(days=9))
                    charge(fund, "fixed-price", f"Milestone {i + 1} funded: {mtitle} ({name})", -amounts[i], name, cid)
                    charge(fund, "service-fee", f"Marketplace fee (5%) for milestone {i + 1}",
                           -int(round(amounts[i] * CLIENT_FEE)), name, cid)
                if mstatus == "paid":
                    total += amounts[i]
                if mstatus == "refunded":
                    rdate = at_work_hour(due + timedelta(days=3))
                    charge(rdate, "refund", f"Refund of milestone {i + 1}: {mtitle} ({name})", amounts[i], name, cid)
                    charge(rdate, "refund", f"Marketplace fee refund for milestone {i + 1}",
                           int(round(amounts[i] * CLIENT_FEE)), name, cid)
            c["milestones"] = milestones
        if R.random() < 0.3 and status == "ended":
            bdate = at_work_hour(end)
            amount = R.choice([10000, 20000, 25000, 50000])
            charge(bdate, "bonus", f"Bonus to {name}: thank you for the great work", -amount, name, cid)
            charge(bdate, "service-fee", "Marketplace fee (5%) for bonus", -int(round(amount * CLIENT_FEE)), name, cid)
            total += amount
        c["total_billed"] = total
        contracts.append(c)
        hires.append((c, ctx, start, end, status, creative, stack, feats, name, title, kind, price))

        if status == "ended":
            ended = datetime.fromisoformat(c["ended"].replace("Z", "+00:00"))
            received, given = review_pair(ctx, ended, 0.85, 0.95,
                                          received_pools=(CLIENT_RECEIVED_HIGH, CLIENT_RECEIVED_MID),
                                          given_pools=(CLIENT_GIVEN_HIGH, CLIENT_GIVEN_MID))
            if received or given:
                feedback.append({"contract_id": cid, "contract_title": title, "counterparty": name,
                                 "received": received, "given": given})

        # job post and offer behind the hire
        posted = start - timedelta(days=R.randint(6, 18), hours=R.randint(0, 10))
        if name == "Mei Lin" and "phase 2" in title:
            offers.append({"id": None, "title": title, "counterparty": name,
                           "sent": iso(start - timedelta(days=3)), "status": "accepted", "kind": kind, "amount": price})
        else:
            job_posts.append({"id": None, "title": title, "posted": iso(posted), "status": "filled", "kind": kind,
                              "budget": price, "proposals_received": R.randint(8, 64)})
            offers.append({"id": None, "title": title, "counterparty": name,
                           "sent": iso(start - timedelta(days=R.randint(1, 4), hours=R.randint(1, 8))),
                           "status": "accepted", "kind": kind, "amount": price})

    # Closed (never filled) and open job posts.
    for title, days_ago, kind, budget, n in [
        ("Part-time customer support lead", 690, "hourly", 3000, 41),
        ("Logo refresh for Northwind Labs", 520, "fixed-price", 80000, 77),
        ("Machine learning engineer for ETA predictions", 240, "hourly", 12000, 23),
    ]:
        job_posts.append({"id": None, "title": title, "posted": iso(AS_OF - timedelta(days=days_ago, hours=7)),
                          "status": "closed", "kind": kind, "budget": budget, "proposals_received": n})
    open_posts = [
        ("Accessibility audit of the customer portal", 17, "fixed-price", 240000, 19),
        ("Senior React Native developer (driver app v3)", 9, "hourly", 8500, 34),
        ("Technical writer for API documentation", 3, "fixed-price", 300000, 7),
    ]
    for title, days_ago, kind, budget, n in open_posts:
        job_posts.append({"id": None, "title": title,
                          "posted": iso(AS_OF - timedelta(days=days_ago) + timedelta(hours=R.randint(14, 20))),
                          "status": "open", "kind": kind, "budget": budget, "proposals_received": n})
    job_posts.sort(key=lambda j: j["posted"])
    for j in job_posts:
        j["id"] = job_ids.next()

    offers.append({"id": None, "title": "Accessibility audit of the customer portal", "counterparty": "Aaron Whitaker",
                   "sent": iso(AS_OF - timedelta(days=4) + timedelta(hours=15, minutes=8)), "status": "pending",
                   "kind": "fixed-price", "amount": 240000})
    offers.append({"id": None, "title": "Machine learning engineer for ETA predictions", "counterparty": "Viktor Sand",
                   "sent": iso(AS_OF - timedelta(days=226)), "status": "declined", "kind": "hourly", "amount": 11000})
    offers.sort(key=lambda o: o["sent"])
    for o in offers:
        o["id"] = offer_ids.next()

    # Ledger: card payments settle each day's charges, using any credit first.
    ledger_rows.sort(key=lambda r: r["date"])
    out_rows = []
    balance = 0
    i = 0
    while i < len(ledger_rows):
        day = ledger_rows[i]["date"]
        group = []
        while i < len(ledger_rows) and ledger_rows[i]["date"] == day:
            group.append(ledger_rows[i])
            i += 1
        for r in group:
            out_rows.append(r)
            if r["status"] == "available":
                balance += r["amount"]
        if balance < 0:
            out_rows.append(dict(date=day + timedelta(minutes=2), kind="payment", description=f"Payment from {card}",
                                 amount=-balance, counterparty=None, contract_id=None, status="available"))
            balance = 0
    assert balance == 0, balance
    transactions = []
    running = 0
    for r in out_rows:
        if r["status"] == "available":
            running += r["amount"]
        transactions.append({
            "id": TX_IDS.next(), "date": iso(r["date"]), "kind": r["kind"], "description": r["description"],
            "counterparty": r["counterparty"], "contract_id": r["contract_id"], "amount": r["amount"],
            "balance_after": running, "status": r["status"], "available_on": None,
        })

    # Dispute over a week of hours on the data engineering contract.
    osei = next(c for c in contracts if c["counterparty"] == "Samuel Osei")
    disputes = [{
        "id": "d-7001", "contract_id": osei["id"],
        "title": "Hours billed for Oct 19 - 25, 2026: work diary shows unrelated activity",
        "opened": iso(datetime(2026, 10, 30, 19, 42, tzinfo=UTC)), "amount": 54000, "status": "open",
    }]

    team = [
        {"id": "tm-01", "name": "Marcus Lee", "email": "marcus.lee@northwindlabs.example", "role": "Hiring manager",
         "joined": iso(datetime(2023, 5, 8, 15, 2, tzinfo=UTC))},
        {"id": "tm-02", "name": "Elena Petrova", "email": "elena.petrova@northwindlabs.example",
         "role": "Finance admin", "joined": iso(datetime(2024, 2, 19, 10, 44, tzinfo=UTC))},
    ]

    # Rooms: the ten most recent hires and two interviews for open posts.
    for (c, ctx, start, end, status, creative, stack, feats, name, title, kind, price) in hires[-10:]:
        weeks = max(1, ((end or AS_OF) - start).days // 7)
        target = min(60, max(6, 6 + weeks + R.randint(0, 8)))
        ms = [(m["title"], m["status"]) for m in c["milestones"]]
        script = contract_script(ctx, status, target, creative=creative, milestones=ms)
        tail = 1
        if name == "Daniela Cruz":
            tail = 2
            script.append([
                ("F", "Hi Priya, just a heads-up: I got a notice that the last two weekly invoices couldn't be charged. "
                      "I think the card on file may have expired?"),
                ("C", "Oh no, sorry Daniela! Finance is updating it, I'll make sure it's sorted this week."),
            ])
        if name == "Samuel Osei":
            tail = 2
            script.append([
                ("C", "Samuel, the work diary for the week of Oct 19 has about six hours of screenshots that don't look "
                      "like our project. I've opened a dispute on those hours so we can sort it out properly."),
                ("F", "Understood. Some of that was the emergency ETL fix running on a second screen, but I see why it "
                      "looks odd. Happy to go through it in the dispute."),
            ])
        room_end = end + timedelta(hours=20) if end else AS_OF - timedelta(hours=R.randint(8, 30))
        msgs = build_room_messages(ctx, script, start, room_end, tail=tail)
        rooms.append({"id": ROOM_IDS.next(), "topic": title, "contract_id": c["id"], "participants": [me, name],
                      "messages": trim_to(msgs, 60)})
    for who, post in [("Aaron Whitaker", open_posts[0]), ("Sana Mirza", open_posts[1])]:
        ctx = dict(c="Priya", f=who.split()[0], feats=["customer portal", "driver app"], stack="React Native",
                   title=post[0], client_name=me, free_name=who, co_or_c="Northwind Labs")
        script = [list(ex) for ex in pick(INTERVIEW_FLOWS)] + [INTERVIEW_OPEN[0]]
        start = AS_OF - timedelta(days=post[1] - 2)
        rooms.append({"id": ROOM_IDS.next(), "topic": f"Interview: {post[0]}", "contract_id": None,
                      "participants": [me, who],
                      "messages": build_room_messages(ctx, script, start, AS_OF - timedelta(hours=20))})

    spent = -sum(t["amount"] for t in transactions if t["kind"] in ("hourly", "fixed-price", "bonus"))
    profile = {
        "account": {
            "id": "client", "kind": "client", "username": "northwind_labs",
            "display_name": "Priya Raman (Northwind Labs)", "email": "priya.raman@northwindlabs.example",
            "member_since": iso(datetime(2023, 2, 13, 17, 5, tzinfo=UTC)),
        },
        "title": "Head of Product, Northwind Labs",
        "overview": ("Northwind Labs builds shipment tracking and carrier management software for mid-sized "
                     "logistics companies. We're a team of 14 in Seattle and hire freelancers for design, "
                     "mobile, data and specialist work."),
        "location": "Seattle, WA, United States",
        "hourly_rate": None,
        "skills": [],
        "profile_url": "https://demo-marketplace.example/companies/~02b91f4d7c3a605e88",
        # For a client the platform shows the total spent here.
        "total_earnings": spent,
        "job_success_score": None,
    }
    return {
        "as_of": iso(AS_OF), "profile": profile, "contracts": contracts, "proposals": [], "offers": offers,
        "job_posts": job_posts, "team": team, "transactions": transactions, "feedback": feedback,
        "disputes": disputes, "rooms": rooms,
    }


# ---------------------------------------------------------------------------
# agency: BrightPath Studio

AGENCY_MEMBERS = [
    ("tm-11", "Aisha Bello", "aisha@brightpath.example", "Lead developer", datetime(2023, 4, 3, tzinfo=UTC)),
    ("tm-12", "Lukas Weber", "lukas@brightpath.example", "Product designer", datetime(2023, 4, 3, tzinfo=UTC)),
    ("tm-13", "Sofia Marchetti", "sofia@brightpath.example", "Project manager", datetime(2023, 9, 18, tzinfo=UTC)),
    ("tm-14", "Kenji Watanabe", "kenji@brightpath.example", "Front-end developer", datetime(2024, 6, 10, tzinfo=UTC)),
]

AGENCY_RECEIVED_HIGH = [
    "BrightPath were brilliant. {f} led the {feat} work and kept us informed every step of the way.",
    "Great studio. Design and development worked hand in hand, and {f} was a pleasure to work with.",
    "Professional, organised, and they deliver. Our second project with BrightPath and certainly not the last.",
    "{f} and the BrightPath team exceeded our expectations on the {feat}. Highly recommended.",
]
AGENCY_RECEIVED_MID = [
    "Solid work from {f}, although the timeline slipped by a couple of weeks.",
]


def agency_account():
    me_org = "BrightPath Studio"
    contract_ids = Counter("c-{}", 5001)
    ledger = Ledger()
    contracts = []
    feedback = []
    plan = []
    clients = list(FREELANCER_CLIENTS[::-1])
    projects = [p for p in PROJECTS if "Mapbox" not in p[0]]
    R.shuffle(projects)
    career_start = datetime(2023, 4, 17, tzinfo=UTC)
    span = (datetime(2026, 10, 1, tzinfo=UTC) - career_start).days
    members = [m[1] for m in AGENCY_MEMBERS]
    for i in range(23):
        start = career_start + timedelta(days=int(span * (i + R.random()) / 23))
        kind = "hourly" if i % 3 == 0 else "fixed-price"
        joined_ok = [m for m in AGENCY_MEMBERS if m[4] <= start]
        plan.append(dict(kind=kind, start=start, status="ended", project=projects[i], client=clients[i % len(clients)],
                         assignee=pick(joined_ok)[1]))
    plan.append(dict(kind="hourly", start=datetime(2026, 8, 3, 15, tzinfo=UTC), status="active", limit=30, rate=7500,
                     project=("Front-end team extension: design system rollout", "React, Storybook and Figma",
                              ["button and form components", "Storybook docs", "dashboard migration", "theme tokens"]),
                     client=("Helena", "Voss", "Quayside Insurance"), assignee="Kenji Watanabe"))
    plan.append(dict(kind="fixed-price", start=datetime(2026, 10, 5, 16, tzinfo=UTC), status="active",
                     project=("Patient intake web app for a physiotherapy chain", "Next.js and Supabase",
                              ["intake form", "clinic admin", "appointment sync", "consent records"]),
                     client=("Martin", "Okonkwo", "MoveWell Physio"), assignee="Aisha Bello"))
    plan.sort(key=lambda p: p["start"])
    for p in plan:
        cid = contract_ids.next()
        title, stack, feats = p["project"]
        cf, cl, company = p["client"]
        client_name = f"{cf} {cl}"
        assignee = p["assignee"]
        p.update(id=cid, title=title, stack=stack, feats=feats, client_name=client_name, company=company)
        ctx = dict(c=cf, f=assignee.split()[0], feats=feats, stack=stack, title=title, co_or_c=company or cf,
                   client_name=client_name, free_name=assignee)
        p["ctx"] = ctx
        c = {
            "id": cid, "title": title, "counterparty": client_name, "counterparty_company": company,
            "kind": p["kind"], "status": p["status"], "started": iso(p["start"]), "ended": None,
            "hourly_rate": None, "weekly_limit_hours": None, "total_billed": 0, "hours_billed": None,
            "milestones": [], "assignee": assignee,
        }
        total = 0
        if p["kind"] == "hourly":
            rate = p.get("rate") or R.choice([6500, 7000, 7500, 8000])
            limit = p.get("limit") or R.choice([20, 30, 40])
            if p["status"] == "active":
                stop = AS_OF
            else:
                stop = p["start"] + timedelta(weeks=R.randint(6, 24))
                stop = min(stop, AS_OF - timedelta(days=30))
                p["end"] = stop
            minutes_total = 0
            for wk, minutes in hourly_weeks(p["start"], stop, limit):
                gross = int(round(minutes * rate / 60))
                ledger.earning(wk + timedelta(days=7), "hourly",
                               f"Invoice for {week_label(wk)}: {assignee}, {hhmm(minutes)} @ {usd(rate)}/hr",
                               gross, client_name, cid, hourly_available_on(wk), FREELANCER_FEE,
                               f"Service fee (10%) for hourly work {week_label(wk)}")
                total += gross
                minutes_total += minutes
            c.update(hourly_rate=rate, weekly_limit_hours=limit, hours_billed=round(minutes_total / 60, 2))
            if p["status"] == "ended":
                c["ended"] = iso(at_work_hour(stop))
                p["last"] = stop
            else:
                p["last"] = AS_OF
        else:
            if p["status"] == "active":
                specs = [
                    ("Discovery and intake form", 350000, "paid", datetime(2026, 10, 23, 17, 30, tzinfo=UTC)),
                    ("Clinic admin and appointment sync", 520000, "in-escrow", datetime(2026, 12, 11, tzinfo=UTC)),
                    ("Consent records and launch", 300000, "pending", datetime(2027, 1, 8, tzinfo=UTC)),
                ]
                ms = []
                for i, (mt, amt, st, date) in enumerate(specs, 1):
                    ms.append({"title": mt, "amount": amt, "status": st, "due": iso(day_start(date))})
                    if st == "paid":
                        ledger.earning(date, "fixed-price", f"Milestone {i}: {mt}", amt, client_name, cid,
                                       date + timedelta(days=5), FREELANCER_FEE, f"Service fee (10%) for milestone {i}")
                        total += amt
                c["milestones"] = ms
                p["milestones"] = ms
                p["last"] = AS_OF
            else:
                total = fixed_contract(p, c, ledger, assignee.split()[0], FREELANCER_FEE)
                # agency budgets are larger
        c["total_billed"] = total
        contracts.append(c)
        if p["status"] == "ended":
            received, given = review_pair(ctx, datetime.fromisoformat(c["ended"].replace("Z", "+00:00")), 0.85, 0.85,
                                          received_pools=(AGENCY_RECEIVED_HIGH, AGENCY_RECEIVED_MID))
            if received or given:
                feedback.append({"contract_id": cid, "contract_title": title, "counterparty": client_name,
                                 "received": received, "given": given})

    # Withdrawals to the business account every two weeks.
    dates = []
    w = monday(career_start + timedelta(days=50)) + timedelta(days=2)
    while w < AS_OF - timedelta(days=8):
        dates.append(w + timedelta(hours=R.randint(14, 19), minutes=R.randint(0, 59)))
        w += timedelta(days=14)
    dates[-1] = datetime(2026, 11, 18, 16, 5, tzinfo=UTC)
    ledger.add_withdrawals(dates, "Direct to U.S. Bank (ACH), business checking ending in 0937", 99, 322_515, (2, 10))
    transactions = ledger.finalize()

    # Proposals: hired ones for contracts that came from proposals, the rest lost.
    pids = Counter("p-{}", 6001)
    proposals = []
    for p in plan:
        if R.random() < 0.8:
            submitted = p["start"] - timedelta(days=R.randint(3, 14), hours=R.randint(0, 10))
            bid = (p.get("rate") or 7500) if p["kind"] == "hourly" else max(
                sum(m["amount"] for m in p.get("milestones", [])), 100000)
            proposals.append({"id": None, "job_title": p["title"], "client": p["company"] or p["client_name"],
                              "submitted": iso(submitted), "status": "hired", "bid": bid, "bid_kind": p["kind"],
                              "connects_spent": connects_for(submitted),
                              "cover_letter": agency_cover_letter(p["title"], p["stack"])})
    n_lost = 38 - len(proposals)
    statuses = ["declined"] * 12 + ["archived"] * 10 + ["withdrawn"] * 10
    R.shuffle(statuses)
    statuses = statuses[:n_lost]
    while len(statuses) < n_lost:
        statuses.append("declined")
    jobs = list(EXTRA_JOBS)
    R.shuffle(jobs)
    for i, status in enumerate(statuses):
        submitted = career_start + timedelta(days=int(span * (i + R.random()) / len(statuses)), hours=R.randint(13, 22))
        job, stack, feats = jobs[i % len(jobs)]
        kind = R.choice(["hourly", "fixed-price"])
        bid = R.choice([6500, 7500, 8500]) if kind == "hourly" else R.choice([5000, 8000, 12000, 18000, 25000]) * 100
        proposals.append({"id": None, "job_title": job, "client": pick(PROPOSAL_CLIENTS), "submitted": iso(submitted),
                          "status": status, "bid": bid, "bid_kind": kind, "connects_spent": connects_for(submitted),
                          "cover_letter": agency_cover_letter(job, stack)})
    for job, client, stack, kind, bid, days_ago in [
        ("Design and build a marketing site for a climate nonprofit", "Helio Climate", "Next.js and Sanity",
         "fixed-price", 1450000, 5),
        ("Agency needed: React dashboard redesign for a logistics SaaS", "Silverline Logistics", "React",
         "hourly", 8500, 12),
    ]:
        submitted = AS_OF - timedelta(days=days_ago) + timedelta(hours=R.randint(14, 20))
        proposals.append({"id": None, "job_title": job, "client": client, "submitted": iso(submitted),
                          "status": "submitted", "bid": bid, "bid_kind": kind, "connects_spent": R.choice([16, 20, 24]),
                          "cover_letter": agency_cover_letter(job, stack)})
    proposals.sort(key=lambda x: x["submitted"])
    for pr in proposals:
        pr["id"] = pids.next()

    offers = []
    oid = Counter("o-{}", 4801)
    for p in plan:
        if not any(pr["job_title"] == p["title"] and pr["status"] == "hired" for pr in proposals):
            offers.append({"id": None, "title": p["title"], "counterparty": p["client_name"],
                           "sent": iso(p["start"] - timedelta(days=R.randint(1, 5))), "status": "accepted",
                           "kind": p["kind"], "amount": p["milestones"][0]["amount"] if p.get("milestones") else 7500})
    offers.sort(key=lambda o: o["sent"])
    for o in offers:
        o["id"] = oid.next()

    team = [{"id": i, "name": n, "email": e, "role": r, "joined": iso(d + timedelta(hours=16))}
            for i, n, e, r, d in AGENCY_MEMBERS]

    rooms = []
    for p in plan[-14:]:
        weeks = max(1, ((p.get("last") or AS_OF) - p["start"]).days // 7)
        target = min(60, max(6, 6 + weeks * 2 + R.randint(-2, 6)))
        ms = [(m["title"], m["status"]) for m in p.get("milestones", [])]
        script = contract_script(p["ctx"], p["status"], target, milestones=ms)
        end = p.get("last") or AS_OF
        if p["status"] == "active":
            end = AS_OF - timedelta(hours=R.randint(6, 40))
        msgs = build_room_messages(p["ctx"], script, p["start"], end)
        participants = [p["ctx"]["free_name"], p["client_name"]]
        if "Sofia Marchetti" not in participants:
            participants.append("Sofia Marchetti")
        rooms.append({"id": ROOM_IDS.next(), "topic": p["title"], "contract_id": p["id"],
                      "participants": participants, "messages": trim_to(msgs, 60)})
    open_p = [pr for pr in proposals if pr["status"] == "submitted"][0]
    ctx = dict(c="Ines", f="Sofia", feats=["home page", "donation flow", "impact stories"], stack="Next.js and Sanity",
               title=open_p["job_title"], client_name="Ines Halvorsen", free_name="Sofia Marchetti", co_or_c="Helio Climate")
    script = [list(ex) for ex in INTERVIEW_FLOWS[1]] + [INTERVIEW_OPEN[0]]
    start = datetime.fromisoformat(open_p["submitted"].replace("Z", "+00:00")) + timedelta(hours=20)
    rooms.append({"id": ROOM_IDS.next(), "topic": f"Interview: {open_p['job_title']}", "contract_id": None,
                  "participants": ["Sofia Marchetti", "Ines Halvorsen"],
                  "messages": build_room_messages(ctx, script, start, AS_OF - timedelta(hours=9))})

    gross = sum(t["amount"] for t in transactions if t["kind"] in ("hourly", "fixed-price", "bonus"))
    profile = {
        "account": {
            "id": "agency", "kind": "agency", "username": "brightpath_studio", "display_name": me_org,
            "email": "hello@brightpath.example", "member_since": iso(datetime(2023, 3, 27, 14, 40, tzinfo=UTC)),
        },
        "title": "Product design and web development studio",
        "overview": ("BrightPath Studio is a five-person team of designers and developers in Lisbon and Berlin. "
                     "We design and build web apps, marketing sites and internal tools for startups and "
                     "healthcare, insurance and retail companies, from first sketch to launch and beyond."),
        "location": "Lisbon, Portugal",
        "hourly_rate": 7500,
        "skills": ["Product design", "Figma", "React", "Next.js", "TypeScript", "Node.js", "Design systems",
                   "Supabase", "Accessibility"],
        "profile_url": "https://demo-marketplace.example/agencies/~03c5d8e1a9f047b2d6",
        "total_earnings": gross,
        "job_success_score": 94,
    }
    return {
        "as_of": iso(AS_OF), "profile": profile, "contracts": contracts, "proposals": proposals, "offers": offers,
        "job_posts": [], "team": team, "transactions": transactions, "feedback": feedback, "disputes": [],
        "rooms": rooms,
    }


# ---------------------------------------------------------------------------


def check(name, data):
    ids = set()
    for key in ("contracts", "proposals", "offers", "job_posts", "team", "transactions", "disputes", "rooms"):
        for item in data[key]:
            assert item["id"] not in ids, (name, item["id"])
            ids.add(item["id"])
    for room in data["rooms"]:
        assert 5 <= len(room["messages"]) <= 60, (name, room["id"], len(room["messages"]))
        for m in room["messages"]:
            assert m["id"] not in ids, m["id"]
            ids.add(m["id"])
            assert m["sent"] <= iso(AS_OF), (room["id"], m["sent"])
    running = 0
    for t in data["transactions"]:
        if t["status"] == "available":
            running += t["amount"]
        assert t["balance_after"] == running
    dates = [t["date"] for t in data["transactions"]]
    assert dates == sorted(dates), name


def summary(name, data):
    tx = data["transactions"]
    by = {}
    for t in tx:
        by[t["status"]] = by.get(t["status"], 0) + t["amount"]
    msgs = sum(len(r["messages"]) for r in data["rooms"])
    print(f"{name}: {len(data['contracts'])} contracts, {len(data['proposals'])} proposals, "
          f"{len(data['offers'])} offers, {len(data['job_posts'])} job posts, {len(tx)} transactions, "
          f"{len(data['feedback'])} feedback, {len(data['rooms'])} rooms / {msgs} messages; "
          + ", ".join(f"{k} {usd(v)}" for k, v in sorted(by.items())))


def main():
    accounts = [("freelancer", freelancer_account()), ("client", client_account()), ("agency", agency_account())]
    total = 0
    for name, data in accounts:
        check(name, data)
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        path = os.path.join(OUT, f"{name}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        total += len(text.encode("utf-8"))
        summary(name, data)
    print(f"total size: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
