#!/usr/bin/env python3
"""Independent oracle for the recurrence engine: python-dateutil's rrule plus zoneinfo.

Protocol: one JSON object per stdin line, ``{"id": ..., "rule": <normalised recurrence>, "after": <ISO instant>,
"count": n}``. The first stdout line is ``{"meta": {...}}`` (versions); then one line per case, in input order:
``{"id": ..., "occurrences": ["YYYY-MM-DDTHH:MM:SSZ", ...], "reason": null | "<reason>", "gap_hits": n,
"overlap_hits": n}`` or ``{"id": ..., "error": "..."}``.

dateutil enumerates the local wall-clock occurrences (naive datetimes); everything below that is not plain
dateutil is one of the documented policies of shared/RECURRENCE.md that dateutil does not have or decides
differently, applied here on its own terms (no code is shared with src/recurrence):

* Local -> UTC (semantics 4, 5): ``fold=0`` (PEP 495). For a wall time in a spring-forward gap it selects the
  offset in force before the gap (RFC 5545 3.3.5: 02:30 New York -> 07:30Z); for a time that occurs twice it
  selects the first of the two. The mapping is classified (gap / overlap) by round-tripping, for the report.
* minutely / hourly (semantics 2) count real elapsed time: rrule runs over naive *UTC* datetimes from the start
  instant converted to UTC, not over local wall time. To keep a far-away ``after`` cheap, dtstart is moved
  forward by a whole number of periods to at most ~2 days before ``after``; that is a translation of the
  series onto itself, so it changes no member, and the "strictly after" decision is still made by iterating.
* weekly (semantics 3): ``wkst`` = week_start, so weeks are counted from the week holding the start.
* monthly / yearly (semantics 3, 6): months/years are counted from dtstart's; ``bymonthday`` skips months that
  lack the day, -1 is the last day, and a day named twice is one dateutil day (fires once).
* yearly implicit day (semantics 7): dateutil would skip months shorter than the start's day; our policy clamps
  to the month's last day. rrule only enumerates the (year, month) pairs (``bymonthday=1``), and the day is
  ``min(start day, last day of month)``, computed here with ``calendar.monthrange``.
* end_date: occurrences strictly before the local start (mapped as above) of the day after end_date.
* start (semantics 1): dateutil already includes dtstart only when it matches the rule; for the clamped yearly
  enumeration, candidates before the start are dropped.
* Next occurrences (semantics 9): strictly after ``after``, at most ``count``. Reasons (semantics 10): fewer than
  ``count`` because the next one is at or past the end bound -> "End date is in the past"; because dateutil's
  iteration ended (it stops past year 9999, a bound for rules that never fire) -> "No date matches the rule";
  no_repeat -> "Start time is in the past"; disabled -> "Schedule is disabled".
"""

import calendar
import json
import sys
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import dateutil
from dateutil import rrule as rr

FREQUENCIES = {
    "minutely": rr.MINUTELY,
    "hourly": rr.HOURLY,
    "daily": rr.DAILY,
    "weekly": rr.WEEKLY,
    "monthly": rr.MONTHLY,
    "yearly": rr.YEARLY,
}
WEEKDAYS = {
    "monday": rr.MO,
    "tuesday": rr.TU,
    "wednesday": rr.WE,
    "thursday": rr.TH,
    "friday": rr.FR,
    "saturday": rr.SA,
    "sunday": rr.SU,
}
DISABLED = "Schedule is disabled"
END_DATE_PASSED = "End date is in the past"
START_TIME_PASSED = "Start time is in the past"
NO_DATE_MATCHES = "No date matches the rule"

# Hard cap on candidates examined per case, so a mistake can never hang the oracle (reported as an error).
MAX_CANDIDATES = 2_000_000

_zones = {}


def zone(name):
    if name not in _zones:
        _zones[name] = ZoneInfo(name)
    return _zones[name]


def to_utc(local, zone_name):
    """Local naive wall time -> (naive UTC datetime, 'gap' | 'overlap' | None) by the RFC 5545 policy."""
    z = zone(zone_name)
    first = local.replace(tzinfo=z, fold=0)
    utc = first.astimezone(timezone.utc)
    kind = None
    if utc.astimezone(z).replace(tzinfo=None) != local:
        kind = "gap"  # the wall time does not exist; fold=0 took the offset before the gap
    elif local.replace(tzinfo=z, fold=1).astimezone(timezone.utc) != utc:
        kind = "overlap"  # the wall time exists twice; fold=0 is the first
    return utc.replace(tzinfo=None), kind


def iso(utc_naive):
    return utc_naive.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_instant(text):
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def parse_time(text):
    parts = [int(p) for p in text.split(":")]
    return time(parts[0], parts[1], parts[2] if len(parts) > 2 else 0)


def yearly_clamped(start, interval, months):
    """Yearly on the start's day, clamped to each month's last day (semantics 7)."""
    pairs = rr.rrule(
        rr.YEARLY,
        dtstart=datetime(start.year, 1, 1),
        interval=interval,
        bymonth=sorted(set(months)),
        bymonthday=1,
    )
    for first in pairs:
        last = calendar.monthrange(first.year, first.month)[1]
        candidate = datetime(first.year, first.month, min(start.day, last), start.hour, start.minute, start.second)
        if candidate >= start:
            yield candidate


def local_series(rule, start):
    """dateutil's local wall-clock series of a daily/weekly/monthly/yearly rule."""
    freq = rule["frequency"]
    common = {"dtstart": start, "interval": rule["interval"]}
    if freq == "daily":
        return rr.rrule(rr.DAILY, **common)
    if freq == "weekly":
        wkst = rr.SU if rule.get("week_start") == "sunday" else rr.MO
        return rr.rrule(rr.WEEKLY, byweekday=[WEEKDAYS[d] for d in rule["day"]], wkst=wkst, **common)
    nth = None
    if rule.get("day_of_week"):
        nth = WEEKDAYS[rule["day_of_week_day"]](rule["day_of_week_index"])
    if freq == "monthly":
        if nth is not None:
            return rr.rrule(rr.MONTHLY, byweekday=nth, **common)
        return rr.rrule(rr.MONTHLY, bymonthday=list(rule["day_of_month"]), **common)
    if freq == "yearly":
        if nth is not None:
            return rr.rrule(rr.YEARLY, bymonth=list(rule["month_of_year"]), byweekday=nth, **common)
        return yearly_clamped(start, rule["interval"], rule["month_of_year"])
    raise ValueError(f"unknown frequency {freq!r}")


def evaluate(rule, after, count):
    zone_name = rule["time_zone"]
    start_local = datetime.combine(date.fromisoformat(rule["start_date"]), parse_time(rule["time_of_day"]))
    start_utc, start_kind = to_utc(start_local, zone_name)
    result = {"occurrences": [], "reason": None, "gap_hits": 0, "overlap_hits": 0}
    hits = {"gap": 0, "overlap": 0}

    if rule.get("disabled"):
        result["reason"] = DISABLED if count > 0 else None
        return result

    freq = rule["frequency"]
    if freq == "no_repeat":
        if start_utc > after and count > 0:
            result["occurrences"].append(iso(start_utc))
            if start_kind:
                hits[start_kind] += 1
        if len(result["occurrences"]) < count:
            result["reason"] = START_TIME_PASSED
        result["gap_hits"], result["overlap_hits"] = hits["gap"], hits["overlap"]
        return result

    end_bound = None
    if rule.get("end_date"):
        day_after = date.fromisoformat(rule["end_date"]) + timedelta(days=1)
        end_bound, _ = to_utc(datetime.combine(day_after, time(0, 0)), zone_name)

    if freq in ("minutely", "hourly"):
        # Elapsed real time: the series runs in UTC from the start instant.
        period = timedelta(minutes=rule["interval"]) if freq == "minutely" else timedelta(hours=rule["interval"])
        skip = 0
        if after - timedelta(days=2) > start_utc:
            skip = (after - timedelta(days=2) - start_utc) // period
        series = rr.rrule(FREQUENCIES[freq], dtstart=start_utc + skip * period, interval=rule["interval"])
        candidates = ((utc, start_kind if utc == start_utc else None) for utc in series)
    else:
        candidates = (to_utc(local, zone_name) for local in local_series(rule, start_local))

    examined = 0
    for utc, kind in candidates:
        examined += 1
        if examined > MAX_CANDIDATES:
            raise RuntimeError(f"oracle gave up after {MAX_CANDIDATES} candidates")
        if end_bound is not None and utc >= end_bound:
            result["reason"] = END_DATE_PASSED
            break
        if utc <= after:
            continue
        if len(result["occurrences"]) >= count:
            break
        result["occurrences"].append(iso(utc))
        if kind:
            hits[kind] += 1
        if len(result["occurrences"]) >= count:
            break
    else:
        if len(result["occurrences"]) < count:
            result["reason"] = NO_DATE_MATCHES
    result["gap_hits"], result["overlap_hits"] = hits["gap"], hits["overlap"]
    return result


def tzdata_version():
    try:
        import tzdata  # noqa: F401  (only when the pip package is installed)

        return f"tzdata {tzdata.IANA_VERSION}"
    except ImportError:
        pass
    for path in ("/usr/share/zoneinfo/tzdata.zi", "/usr/share/zoneinfo/+VERSION"):
        try:
            with open(path, encoding="utf-8") as handle:
                first = handle.readline().strip()
            return "system " + first.replace("# version ", "")
        except OSError:
            continue
    return "system (unknown version)"


def main():
    meta = {
        "python": sys.version.split()[0],
        "dateutil": dateutil.__version__,
        "tzdata": tzdata_version(),
    }
    out = sys.stdout
    out.write(json.dumps({"meta": meta}) + "\n")
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        case = json.loads(line)
        try:
            result = evaluate(case["rule"], parse_instant(case["after"]), int(case["count"]))
        except Exception as error:  # reported per case, so one bad case cannot hide the others
            result = {"error": f"{type(error).__name__}: {error}"}
        result["id"] = case["id"]
        out.write(json.dumps(result) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
