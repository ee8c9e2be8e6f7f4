package policy

import (
	"strconv"
	"strings"
)

// validDate reports whether AWS's legacy parser takes v as the value of a
// Date condition: an ISO 8601 date-time or a count of epoch seconds. The
// recorded cases show a lenient parser in the manner of Joda-Time's
// ISODateTimeFormat: "01T", "2016-12-13t2:00:00.593194+23" and
// "-292275054" pass; "234-13", a one-digit offset hour, ten fraction digits
// and 9223372036854775808 seconds do not.
func validDate(v string) bool {
	if strings.ContainsAny(v, "tT-") {
		return validISODate(v)
	}
	_, err := strconv.ParseUint(v, 10, 63) // seconds up to 2^63-1
	return err == nil
}

// Joda-Time's year range, which the accepted "-292275054" sits at.
const minYear, maxYear = -292275054, 292278993

func validISODate(v string) bool {
	date, clock, hasT := cutAny(v, "tT")
	if !validCalendarDate(date) {
		return false
	}
	return !hasT || clock == "" || validClock(clock)
}

// validCalendarDate reads [-]year[-month[-day]].
func validCalendarDate(s string) bool {
	sign := 1
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, s = -1, rest
	}
	fields := strings.Split(s, "-")
	if len(fields) > 3 {
		return false
	}
	year, ok := digits(fields[0], 1, 9)
	if !ok || sign*year < minYear || sign*year > maxYear {
		return false
	}
	bounds := [][2]int{{1, 12}, {1, 31}}
	for i, f := range fields[1:] {
		n, ok := digits(f, 1, 2)
		if !ok || n < bounds[i][0] || n > bounds[i][1] {
			return false
		}
	}
	return true
}

// validClock reads hour[:minute[:second[.fraction]]][offset], where offset
// is Z or ±hh[:mm].
func validClock(s string) bool {
	s, ok := cutOffset(s)
	if !ok {
		return false
	}
	s, fraction, hasFraction := strings.Cut(s, ".")
	if hasFraction {
		if _, ok := digits(fraction, 1, 9); !ok {
			return false
		}
	}
	fields := strings.Split(s, ":")
	if len(fields) > 3 || hasFraction && len(fields) < 3 {
		return false
	}
	limits := []int{23, 59, 59}
	for i, f := range fields {
		n, ok := digits(f, 1, 2)
		if !ok || n > limits[i] {
			return false
		}
	}
	return true
}

// cutOffset removes a trailing time zone offset and checks it.
func cutOffset(s string) (string, bool) {
	if rest, ok := strings.CutSuffix(s, "Z"); ok {
		return rest, true
	}
	if rest, ok := strings.CutSuffix(s, "z"); ok {
		return rest, true
	}
	i := strings.LastIndexAny(s, "+-")
	if i < 0 {
		return s, true
	}
	hours, minutes, hasMinutes := strings.Cut(s[i+1:], ":")
	if h, ok := digits(hours, 2, 2); !ok || h > 23 {
		return "", false
	}
	if m, ok := digits(minutes, 2, 2); hasMinutes && (!ok || m > 59) {
		return "", false
	}
	return s[:i], true
}

// digits parses s as a decimal of min to max digits.
func digits(s string, min, max int) (int, bool) {
	if len(s) < min || len(s) > max {
		return 0, false
	}
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, true
}

func cutAny(s, chars string) (before, after string, found bool) {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}
