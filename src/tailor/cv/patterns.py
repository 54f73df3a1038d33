"""Every pattern for the e-mail addresses, web addresses, phone numbers and dates that CVs and
sentences about them write, defined once.

Where two readings genuinely need different patterns, both are here, each named for what it
matches, with a line saying why it differs.
"""

from __future__ import annotations

import re

# the mark a list's line starts with: a bullet, a dash, or a number ("1." "2)"), and the space
# after it (the text reader's bullets; what the writers take off a kept section's lines)
LIST_MARK = re.compile(r"^\s*(?:[-*•·▪◦●‣–]|\d{1,2}[.)])\s+")

# -- e-mail addresses --------------------------------------------------------------------------

# An address starts where a run of its characters starts, and that run is never given back:
# searching a long word without an "@" stays linear (it was quadratic).
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]+(?:\.[\w-]+)+")
# an address with any character the standard allows before its "@" ("o'neil@", "a!b@"): what
# privacy hides, where a character left out would leave part of an address in a prompt; the
# readers take the characters addresses are written with, so a quote or slash before one stays
EMAIL_ANY_LOCAL_PART = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]++@[\w-]++(?:\.[\w-]++)+"
)

# -- web addresses -----------------------------------------------------------------------------

# A web address in running text stops at white space, quotes, brackets and list separators,
# but keeps a balanced pair of parentheses inside it (Wikipedia's ".../Silicon_Valley_(TV_series)"),
# so "(see https://example.org)" still ends before the closing bracket; never on a full stop.
_URL_CHAR = r"[^\s()<>\[\]\"'“”‘’|,;]"  # a curly quote closes the text around an address
URL_TAIL = rf"(?:{_URL_CHAR}|\({_URL_CHAR}*\))+(?<![.:!?])"
WEB_URL = rf"(?:https?://|www\.){URL_TAIL}"
# a web address written without a scheme: "ilse.example.org", "scholar.example.net/ilse". A
# host starts where a run of host characters starts, never after "@" (an e-mail's domain is no
# link) nor inside a longer address; whether a match is a link and not "Node.js" or "B.Sc" is
# `tailor.cv.links.looks_like_link`'s call
BARE_URL = re.compile(
    rf"(?<![\w.@/-])(?:[\w-]++\.)+[a-z]{{2,10}}(?![\w@-])(?:/(?:{URL_TAIL})?)?", re.IGNORECASE
)
# a link in contact details or on a project's line: a web address, or a page of a code host or
# LinkedIn written without a scheme ("github.com/ilse"); other hosts without one are BARE_URL's
CONTACT_URL = re.compile(rf"{WEB_URL}|\b(?:github|gitlab|linkedin)\.com/{URL_TAIL}")
# a link a sentence states, for the grounding check: a web address, or a host on a common
# top-level domain ("ana.dev", "example.org/x") taken as a link with no further judgement, so
# a model-written sentence is held to every link-like word it adds
PROSE_URL = re.compile(
    rf"{WEB_URL}"
    r"|(?<![\w-])(?<![\w-]\.)(?:[a-z0-9-]++\.)+(?:com|org|net|io|ai|dev|app|co|edu|me|uk|de|fr|eu|info|page)"
    r"(?:/[^\s)\]>,;|\"'“”‘’]*)?",
    re.IGNORECASE,
)
# privacy hides a link whole, up to a space or a separator (a bracket or a full stop in it
# included), so that no part of the address reaches a prompt; the readers' URL_TAIL stops
# before a closing bracket or a full stop to read the address alone
_HIDDEN_URL_TAIL = r"[^\s<>()\[\]\"'“”‘’`,;·|]"
# a link that surely is one, for privacy: with a scheme or www. ("Node.js/TypeScript" is not)
SCHEME_OR_WWW_URL = re.compile(rf"(?:https?://|www\.){_HIDDEN_URL_TAIL}+", re.IGNORECASE)
# a link as people write it, for privacy: with a scheme, with www., or a bare host with a path
URL_OR_HOST_WITH_PATH = re.compile(
    rf"(?:https?://|www\.){_HIDDEN_URL_TAIL}+"
    rf"|(?<![\w-])(?<![\w-]\.)[\w-]++(?:\.[\w-]++)*\.[a-z]{{2,}}/{_HIDDEN_URL_TAIL}*",
    re.IGNORECASE,
)
# a text followed by the address it links to, as the PDF and DOCX readers write a link behind
# a label: "Acme (https://acme.io)"
TEXT_AND_ADDRESS = re.compile(r"^(?P<text>.*?\S)\s*+\((?P<url>https?://[^\s()]+)\)")

# a Markdown link "[label](address)", whose address may hold one balanced pair of parentheses
MARKDOWN_LINK = re.compile(r"\[(?P<label>[^\[\]]+)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))+)\)")
# a link as rendercv's Markdown writes one: "[label](address)" on one line, the label maybe
# empty, the address without brackets (tailor's rendercv writer and reader share it)
RENDERCV_LINK = re.compile(r"\[(?P<label>[^\[\]\n]*)\]\((?P<url>[^()\s]+)\)")
# a Markdown link definition on its own line: "[ref]: https://example.org "title""
MARKDOWN_LINK_DEFINITION = re.compile(
    r"^\s{0,3}\[(?P<ref>[^\]]+)\]:\s*(?P<url>\S+)(?:\s+[\"'(].*)?$"
)
# "[label][ref]", "[label][]", or "[ref]" alone, where a definition names it
MARKDOWN_REFERENCE_LINK = re.compile(r"\[(?P<label>[^\[\]]+)\](?:\[(?P<ref>[^\[\]]*)\])?(?![(:])")
# a Markdown autolink: "<https://example.org>", "<mailto:jo@example.org>", "<jo@example.org>"
MARKDOWN_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^<>\s]+|[^@\s<>]+@[^@\s<>]+)>")

# -- phone numbers -----------------------------------------------------------------------------

# a run of digits and the marks phone numbers are written with, long enough for one: whether a
# line holds a contact detail at all; year ranges match it too, so it never says alone what a
# number is (libphonenumber does that, for privacy)
PHONE_LIKE = re.compile(r"\+?\(?\d[\d\s().-]{7,}\d")
# a phone number in contact details, after a word or two that label it ("Mobile:", "E-mail",
# "Tel.") or an icon's name; never given back, so a long run of spaces stays linear
LABELLED_PHONE = re.compile(
    r"(?<![\w-])(?:[A-Za-z][\w-]*+\.?(?:\s*+:)?\s++){0,2}(?P<phone>[(+]{0,2}\d[\d\s().-]{7,}\d)"
)
# a phone number in prose: international ("+44 20 7946 0000") or with an area code in brackets;
# looser patterns (PHONE_LIKE) would swallow year ranges and figures
PHONE_IN_PROSE = re.compile(r"\+\d[\d\s().-]{7,}\d|\(\d{2,4}\)\s?\d[\d\s.-]{5,}\d")
# a word that says a phone number follows, at the end of the text before a number: in a CV's
# body a number is a phone number only with such a cue ("tel.", "☎")
PHONE_CUE = re.compile(r"(?i:tel|phone|mobile|cell|call|fax|whatsapp|☎|📞)[^\n\d+(]{0,12}$")

# -- dates -------------------------------------------------------------------------------------

# month names and their abbreviations, lower-case, mapped to the month's number
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# any of MONTHS, the longest first; to be matched ignoring case
MONTH_NAME = "|".join(sorted(MONTHS, key=len, reverse=True))
SEASONS = ("spring", "summer", "fall", "autumn", "winter")
YEAR = r"(?:19|20)\d{2}"  # a page range ("pp. 1393–1398") is no span of years
PRESENT = r"(?:present|current|now|today|ongoing)"  # the end of a range still open
# a date as a CV's entries write it, ignoring case: a season or a month and a year, an ISO
# date, a month/year, or a year alone
ENTRY_DATE = (
    rf"(?:(?:{'|'.join(SEASONS)})\s+{YEAR}"
    rf"|(?:{MONTH_NAME})\.?\s+{YEAR}"
    rf"|{YEAR}-\d{{2}}(?:-\d{{2}})?|\d{{1,2}}[/.]{YEAR}|{YEAR})"
)
# "Mar 2021 – Present", "2019 to 2021", "Sep 2024 – exp. 2026"
DATE_RANGE = re.compile(
    rf"(?P<start>{ENTRY_DATE})\s*(?:–|—|-|to|until)\s*(?:exp(?:ected)?\.?\s*)?"
    rf"(?P<end>{ENTRY_DATE}|{PRESENT})",
    re.IGNORECASE,
)
SINGLE_DATE = re.compile(rf"\b(?P<date>{ENTRY_DATE})\b", re.IGNORECASE)
# a date in ISO form, as the CV model keeps dates: "2021", "2021-03", "2021-03-14"
ISO_DATE = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2}))?(?:-(?P<day>\d{2}))?")
# "03/2021", "3.2021"
MONTH_SLASH_YEAR = re.compile(r"(?P<month>\d{1,2})[/.](?P<year>\d{4})")
# a month of a year a sentence states, for the grounding check: "Mar 2022", "2022-03",
# "03/2022", its month and year apart; unlike ENTRY_DATE, only a real month's number is one
# and a year alone is none (STANDALONE_YEAR reads those), since months are compared
MONTH_DATE = re.compile(
    rf"\b(?P<month>{MONTH_NAME})\.?,?\s+(?P<year>{YEAR})\b"
    rf"|\b(?P<iso_year>{YEAR})-(?P<iso_month>0[1-9]|1[0-2])(?:-\d{{2}})?\b"
    rf"|\b(?P<num_month>0?[1-9]|1[0-2])[/.](?P<num_year>{YEAR})\b",
    re.IGNORECASE,
)
# a year in a sentence, not part of a longer number or a decimal ("12019", "2020.5")
STANDALONE_YEAR = re.compile(rf"(?<!\d)(?<!\d[.,]){YEAR}(?!\d|[.,]\d)")
# a month as a date of birth may write it, in English or a language whose names start alike
# ("Januar", "Sept."): privacy hides a birth date in any of them, where the readers read
# the English names of MONTHS
MONTH_BY_PREFIX = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-zäéû]*\.?"
# a day's date ("14.03.1990", "1990-03-14", "14th March 1990", "March 14, 1990"): a date of
# birth; the readers' dates are months and years
DAY_DATE = (
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\.?[ -]{MONTH_BY_PREFIX}[ -]\d{{4}}"
    rf"|{MONTH_BY_PREFIX} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}})"
)

# what a CV calls itself above the name ("Curriculum Vitae", "Résumé"): never the name
DOCUMENT_TITLE = re.compile(r"(?:curriculum\s+vitae|r[eé]sum[eé]|cv)", re.IGNORECASE)


def bare_url(url: str) -> str:
    """A web address without scheme, "www.", trailing slash or punctuation, lower-cased:
    the form in which two ways of writing one link compare equal."""
    url = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip(), flags=re.IGNORECASE)
    url = url.rstrip("/.,;")
    while url.endswith(")") and url.count(")") > url.count("("):  # "(see x.org)", not "_(TV)"
        url = url[:-1].rstrip("/.,;")
    return url.lower()


# -- as the renderers and the posting coverage read a CV's own text back -----------------------

# a link as the readers keep it in a line: "[label](url)" (the url may hold one pair of
# parentheses), "label (https://...)" at a word's start, or a bare web address
LINK_IN_TEXT = re.compile(
    r"\[(?P<md_label>[^\[\]]+)\]\((?P<md_url>(?:[^()\s]|\([^()\s]*\))+)\)"
    r"|(?<!\S)(?P<label>\S+) \((?P<url>https?://(?:[^()\s]|\([^()\s]*\))+)\)"
    rf"|(?P<bare>https?://{URL_TAIL})"
)
# an address that is clickable as it is: a web or mail link ("javascript:", "file:" are not)
CLICKABLE_ADDRESS = re.compile(r"(?i)^(?:https?://|mailto:)")
# an address written without a scheme: "github.com/x", "www.example.org"
SCHEMELESS_ADDRESS = re.compile(r"(?i)^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:/\S*)?$")
# a year, and the month after it when there is one, anywhere in a date as written: "2021-3"
YEAR_AND_MONTH = re.compile(r"(\d{4})(?:-(\d{1,2}))?")
