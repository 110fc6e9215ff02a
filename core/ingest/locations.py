"""Location names people configure (INGEST_LOCATIONS, `--location`) → TheirStack job search filters.

    "United States", "USA", "US"     job_country_code_or ["US"]      (any ISO 3166-1 country name or code)
    "Remote"                         remote = true
    "Remote Germany", "UK (remote)"  both of the above
    "geonames:5419384"               job_location_or [{"id": 5419384}]   (ids from GET /v0/catalog/locations)
    "pattern:berlin|munich"          job_location_pattern_or ["berlin|munich"]   (RE2, case-insensitive)

Anything else is refused with the accepted forms and close matches, before a credit is spent.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from core.errors import InvalidInput

_ISO = (
    "AD Andorra|AE United Arab Emirates|AF Afghanistan|AG Antigua and Barbuda|AI Anguilla|AL Albania|AM Armenia|"
    "AO Angola|AQ Antarctica|AR Argentina|AS American Samoa|AT Austria|AU Australia|AW Aruba|AX Aland Islands|"
    "AZ Azerbaijan|BA Bosnia and Herzegovina|BB Barbados|BD Bangladesh|BE Belgium|BF Burkina Faso|BG Bulgaria|"
    "BH Bahrain|BI Burundi|BJ Benin|BL Saint Barthelemy|BM Bermuda|BN Brunei|BO Bolivia|BQ Caribbean Netherlands|"
    "BR Brazil|BS Bahamas|BT Bhutan|BV Bouvet Island|BW Botswana|BY Belarus|BZ Belize|CA Canada|CC Cocos Islands|"
    "CD Democratic Republic of the Congo|CF Central African Republic|CG Republic of the Congo|CH Switzerland|"
    "CI Ivory Coast|CK Cook Islands|CL Chile|CM Cameroon|CN China|CO Colombia|CR Costa Rica|CU Cuba|CV Cape Verde|"
    "CW Curacao|CX Christmas Island|CY Cyprus|CZ Czech Republic|DE Germany|DJ Djibouti|DK Denmark|DM Dominica|"
    "DO Dominican Republic|DZ Algeria|EC Ecuador|EE Estonia|EG Egypt|EH Western Sahara|ER Eritrea|ES Spain|"
    "ET Ethiopia|FI Finland|FJ Fiji|FK Falkland Islands|FM Micronesia|FO Faroe Islands|FR France|GA Gabon|"
    "GB United Kingdom|GD Grenada|GE Georgia|GF French Guiana|GG Guernsey|GH Ghana|GI Gibraltar|GL Greenland|"
    "GM Gambia|GN Guinea|GP Guadeloupe|GQ Equatorial Guinea|GR Greece|GS South Georgia|GT Guatemala|GU Guam|"
    "GW Guinea-Bissau|GY Guyana|HK Hong Kong|HM Heard Island and McDonald Islands|HN Honduras|HR Croatia|HT Haiti|"
    "HU Hungary|ID Indonesia|IE Ireland|IL Israel|IM Isle of Man|IN India|IO British Indian Ocean Territory|IQ Iraq|"
    "IR Iran|IS Iceland|IT Italy|JE Jersey|JM Jamaica|JO Jordan|JP Japan|KE Kenya|KG Kyrgyzstan|KH Cambodia|"
    "KI Kiribati|KM Comoros|KN Saint Kitts and Nevis|KP North Korea|KR South Korea|KW Kuwait|KY Cayman Islands|"
    "KZ Kazakhstan|LA Laos|LB Lebanon|LC Saint Lucia|LI Liechtenstein|LK Sri Lanka|LR Liberia|LS Lesotho|"
    "LT Lithuania|LU Luxembourg|LV Latvia|LY Libya|MA Morocco|MC Monaco|MD Moldova|ME Montenegro|MF Saint Martin|"
    "MG Madagascar|MH Marshall Islands|MK North Macedonia|ML Mali|MM Myanmar|MN Mongolia|MO Macao|"
    "MP Northern Mariana Islands|MQ Martinique|MR Mauritania|MS Montserrat|MT Malta|MU Mauritius|MV Maldives|"
    "MW Malawi|MX Mexico|MY Malaysia|MZ Mozambique|NA Namibia|NC New Caledonia|NE Niger|NF Norfolk Island|"
    "NG Nigeria|NI Nicaragua|NL Netherlands|NO Norway|NP Nepal|NR Nauru|NU Niue|NZ New Zealand|OM Oman|PA Panama|"
    "PE Peru|PF French Polynesia|PG Papua New Guinea|PH Philippines|PK Pakistan|PL Poland|PM Saint Pierre and Miquelon|"
    "PN Pitcairn Islands|PR Puerto Rico|PS Palestine|PT Portugal|PW Palau|PY Paraguay|QA Qatar|RE Reunion|RO Romania|"
    "RS Serbia|RU Russia|RW Rwanda|SA Saudi Arabia|SB Solomon Islands|SC Seychelles|SD Sudan|SE Sweden|SG Singapore|"
    "SH Saint Helena|SI Slovenia|SJ Svalbard and Jan Mayen|SK Slovakia|SL Sierra Leone|SM San Marino|SN Senegal|"
    "SO Somalia|SR Suriname|SS South Sudan|ST Sao Tome and Principe|SV El Salvador|SX Sint Maarten|SY Syria|"
    "SZ Eswatini|TC Turks and Caicos Islands|TD Chad|TF French Southern Territories|TG Togo|TH Thailand|"
    "TJ Tajikistan|TK Tokelau|TL Timor-Leste|TM Turkmenistan|TN Tunisia|TO Tonga|TR Turkey|TT Trinidad and Tobago|"
    "TV Tuvalu|TW Taiwan|TZ Tanzania|UA Ukraine|UG Uganda|UM United States Minor Outlying Islands|US United States|"
    "UY Uruguay|UZ Uzbekistan|VA Vatican City|VC Saint Vincent and the Grenadines|VE Venezuela|"
    "VG British Virgin Islands|VI U.S. Virgin Islands|VN Vietnam|VU Vanuatu|WF Wallis and Futuna|WS Samoa|"
    "XK Kosovo|YE Yemen|YT Mayotte|ZA South Africa|ZM Zambia|ZW Zimbabwe"
)
COUNTRY_NAMES: dict[str, str] = dict(entry.split(" ", 1) for entry in _ISO.split("|"))
_ALIASES = {
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
    "wales": "GB", "northern ireland": "GB", "czechia": "CZ", "holland": "NL", "the netherlands": "NL",
    "korea": "KR", "republic of korea": "KR", "russian federation": "RU", "turkiye": "TR", "türkiye": "TR",
    "uae": "AE", "cote d'ivoire": "CI", "côte d'ivoire": "CI", "swaziland": "SZ", "burma": "MM",
    "east timor": "TL", "cabo verde": "CV", "macau": "MO", "viet nam": "VN", "deutschland": "DE",
}
_REMOTE_WORDS = frozenset({"remote", "anywhere", "worldwide", "remote only", "fully remote"})
_REMOTE_PREFIX = re.compile(r"^(?:remote|fully remote)\s*[-,:/]?\s*(?:in\s+)?(?P<place>.+)$", re.IGNORECASE)
_REMOTE_SUFFIX = re.compile(r"^(?P<place>.+?)\s*[-,/]?\s*\(?\s*remote\s*\)?$", re.IGNORECASE)
_LOOKUP = {name.casefold(): code for code, name in COUNTRY_NAMES.items()} | _ALIASES
FORMS = (
    "a country name or ISO code (e.g. 'United States', 'Germany', 'DE'), 'Remote', 'Remote <country>', "
    "'geonames:<id>' (a TheirStack location id) or 'pattern:<regex>'"
)


@dataclass(frozen=True)
class LocationFilter:
    """One configured location: its label, a stable key for watermarks, and the request fields it sets."""

    label: str
    key: str
    filters: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def parse_location(text: str) -> LocationFilter:
    """Resolves a location name; raises InvalidInput naming the accepted forms and close matches."""
    label = " ".join((text or "").split())
    if not label:
        raise InvalidInput(f"Empty location. Use {FORMS}.")
    folded = label.casefold()
    if folded in _REMOTE_WORDS:
        return LocationFilter(label, "remote", {"remote": True})
    special = _special(label)
    if special:
        return special
    code = _country_code(label)
    if code:
        return LocationFilter(label, code, {"job_country_code_or": [code]})
    remote_in = _REMOTE_PREFIX.match(label) or _REMOTE_SUFFIX.match(label)
    code = _country_code(remote_in.group("place")) if remote_in else None
    if code:
        return LocationFilter(label, f"remote-{code}", {"job_country_code_or": [code], "remote": True})
    raise _unknown(label)


def _special(label: str) -> LocationFilter | None:
    kind, _, value = label.partition(":")
    kind, value = kind.strip().casefold(), value.strip()
    if kind == "geonames" and value.isdigit():
        return LocationFilter(label, f"geonames:{int(value)}", {"job_location_or": [{"id": int(value)}]})
    if kind == "pattern" and value:
        return LocationFilter(label, f"pattern:{value.casefold()}", {"job_location_pattern_or": [value]})
    if kind in ("geonames", "pattern"):
        raise InvalidInput(f"Location {label!r} needs a value: 'geonames:<numeric id>' or 'pattern:<regex>'.")
    return None


def _country_code(text: str) -> str | None:
    cleaned = text.strip().strip("()").strip()
    if len(cleaned) == 2 and cleaned.upper() in COUNTRY_NAMES:
        return cleaned.upper()
    folded = cleaned.casefold()
    return _LOOKUP.get(folded) or _LOOKUP.get(folded.removeprefix("the "))


def _unknown(label: str) -> InvalidInput:
    close = difflib.get_close_matches(label.casefold(), list(_LOOKUP), n=3, cutoff=0.75)
    names = list(dict.fromkeys(COUNTRY_NAMES[_LOOKUP[name]] for name in close))
    hint = f" Did you mean: {', '.join(names)}?" if names else ""
    return InvalidInput(f"Unknown location {label!r}.{hint} Use {FORMS}.")
