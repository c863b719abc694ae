"""time: the built-in time module plus CPython's formatting functions.

Adds strftime (%a %A %b %B %c %d %D %e %F %H %I %j %R %T %u
%m %M %p %S %U %w %W %x %X %y %Y %z %Z %%), asctime, ctime, struct_time-like
tuples, perf_counter, perf_counter_ns, monotonic, monotonic_ns, process_time
and thread_time. Times are UTC (the sandbox has no time zone). Left out:
strptime, tzset, the named fields of struct_time.
"""

from utime import *
import utime as _t

timezone = 0
altzone = 0
daylight = 0
tzname = ("UTC", "UTC")

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _tuple(t):
    if t is None:
        return _t.localtime()
    t = tuple(t)
    if len(t) != 9 and len(t) != 8:
        raise TypeError("time tuple must have exactly 9 elements")
    return t


def _week(t, first):
    # Week number of the year with `first` (0 Monday, 6 Sunday) starting weeks.
    yday = t[7] - 1
    wday = (t[6] - first) % 7
    return (yday - wday + 7) // 7


def strftime(format, t=None):
    t = _tuple(t)
    out = []
    i = 0
    n = len(format)
    while i < n:
        c = format[i]
        if c != "%" or i + 1 == n:
            out.append(c)
            i += 1
            continue
        d = format[i + 1]
        i += 2
        if d == "a":
            out.append(_DAYS[t[6]][:3])
        elif d == "A":
            out.append(_DAYS[t[6]])
        elif d == "b" or d == "h":
            out.append(_MONTHS[t[1] - 1][:3])
        elif d == "B":
            out.append(_MONTHS[t[1] - 1])
        elif d == "c":
            out.append(strftime("%a %b %d %H:%M:%S %Y", t))
        elif d == "d":
            out.append("%02d" % t[2])
        elif d == "e":
            out.append("%2d" % t[2])
        elif d == "H":
            out.append("%02d" % t[3])
        elif d == "I":
            out.append("%02d" % ((t[3] + 11) % 12 + 1))
        elif d == "j":
            out.append("%03d" % t[7])
        elif d == "m":
            out.append("%02d" % t[1])
        elif d == "M":
            out.append("%02d" % t[4])
        elif d == "p":
            out.append("AM" if t[3] < 12 else "PM")
        elif d == "S":
            out.append("%02d" % t[5])
        elif d == "u":
            out.append(str(t[6] + 1))
        elif d == "w":
            out.append(str((t[6] + 1) % 7))
        elif d == "U":
            out.append("%02d" % _week(t, 6))
        elif d == "W":
            out.append("%02d" % _week(t, 0))
        elif d == "x":
            out.append(strftime("%m/%d/%y", t))
        elif d == "X":
            out.append(strftime("%H:%M:%S", t))
        elif d == "y":
            out.append("%02d" % (t[0] % 100))
        elif d == "Y":
            out.append(str(t[0]))
        elif d == "z":
            out.append("+0000")
        elif d == "Z":
            out.append("UTC")
        elif d == "D":
            out.append(strftime("%m/%d/%y", t))
        elif d == "F":
            out.append(strftime("%Y-%m-%d", t))
        elif d == "T":
            out.append(strftime("%H:%M:%S", t))
        elif d == "R":
            out.append(strftime("%H:%M", t))
        elif d == "n":
            out.append("\n")
        elif d == "t":
            out.append("\t")
        elif d == "%":
            out.append("%")
        else:
            out.append("%" + d)
    return "".join(out)


def asctime(t=None):
    t = _tuple(t)
    return "%s %s %2d %02d:%02d:%02d %d" % (_DAYS[t[6]][:3], _MONTHS[t[1] - 1][:3], t[2], t[3], t[4], t[5], t[0])


def ctime(secs=None):
    return asctime(_t.localtime(secs) if secs is not None else None)


def perf_counter_ns():
    return _t.time_ns()


def perf_counter():
    return _t.time_ns() / 1e9


monotonic = perf_counter
monotonic_ns = perf_counter_ns
process_time = perf_counter
process_time_ns = perf_counter_ns
thread_time = perf_counter
thread_time_ns = perf_counter_ns
