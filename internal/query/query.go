// Package query encodes an options struct as URL query parameters from
// its `url` struct tags, so each API client declares its parameters once,
// next to the field, instead of writing a values() method per type.
//
// A tag is `url:"name[,flag...]"`. "-" skips the field; an untagged
// embedded struct is flattened into its parent. Flags:
//
//	omitempty  leave out the zero value (empty string, 0, false, zero time, nil, empty slice)
//	comma      a slice as one comma-joined value instead of repeated keys
//	epochms    a time.Time as Unix milliseconds (Hotmart); the default is RFC 3339
//	date       a time.Time as YYYY-MM-DD
//	int        a bool as 1 or 0
//
// Supported field types: strings and string-based types, signed and
// unsigned integers, floats, bool, time.Time, pointers to those (nil is
// left out), slices of those.
package query

import (
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
)

var timeType = reflect.TypeFor[time.Time]()

// Values returns the query parameters of v, a struct or a pointer to one
// (nil gives no parameters).
func Values(v any) (url.Values, error) {
	q := url.Values{}
	if v == nil {
		return q, nil
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return q, nil
		}
		rv = rv.Elem()
	}
	if rv.Kind() != reflect.Struct {
		return nil, fmt.Errorf("query: %T is not a struct", v)
	}
	return q, encodeStruct(q, rv)
}

// MustValues is Values for option types whose tags are known good: an
// encoding error there is a programming error of this module.
func MustValues(v any) url.Values {
	q, err := Values(v)
	if err != nil {
		panic(err)
	}
	return q
}

func encodeStruct(q url.Values, rv reflect.Value) error {
	rt := rv.Type()
	for i := range rt.NumField() {
		f := rt.Field(i)
		if !f.IsExported() && !f.Anonymous {
			continue
		}
		tag, hasTag := f.Tag.Lookup("url")
		if tag == "-" {
			continue
		}
		fv := rv.Field(i)
		if f.Anonymous && !hasTag {
			for fv.Kind() == reflect.Pointer {
				if fv.IsNil() {
					break
				}
				fv = fv.Elem()
			}
			if fv.Kind() == reflect.Struct && fv.Type() != timeType {
				if err := encodeStruct(q, fv); err != nil {
					return err
				}
			}
			continue
		}
		if !hasTag {
			continue
		}
		name, flagText, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		flags := map[string]bool{}
		for _, fl := range strings.Split(flagText, ",") {
			if fl != "" {
				flags[fl] = true
			}
		}
		if err := encodeField(q, name, fv, flags); err != nil {
			return fmt.Errorf("query: field %s: %w", f.Name, err)
		}
	}
	return nil
}

func encodeField(q url.Values, name string, v reflect.Value, flags map[string]bool) error {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
		delete(flags, "omitempty") // a set pointer is sent even when it points to a zero value
	}
	if flags["omitempty"] && v.IsZero() {
		return nil
	}
	if v.Kind() == reflect.Slice && v.Type().Elem().Kind() != reflect.Uint8 {
		if v.Len() == 0 {
			return nil
		}
		parts := make([]string, 0, v.Len())
		for i := range v.Len() {
			s, ok, err := scalar(v.Index(i), flags)
			if err != nil {
				return err
			}
			if ok && s != "" {
				parts = append(parts, s)
			}
		}
		if flags["comma"] {
			if len(parts) > 0 {
				q.Set(name, strings.Join(parts, ","))
			}
			return nil
		}
		for _, p := range parts {
			q.Add(name, p)
		}
		return nil
	}
	s, ok, err := scalar(v, flags)
	if err != nil || !ok {
		return err
	}
	q.Set(name, s)
	return nil
}

func scalar(v reflect.Value, flags map[string]bool) (string, bool, error) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "", false, nil
		}
		v = v.Elem()
	}
	if v.Type() == timeType {
		t := v.Interface().(time.Time)
		if t.IsZero() {
			return "", false, nil
		}
		switch {
		case flags["epochms"]:
			return strconv.FormatInt(t.UnixMilli(), 10), true, nil
		case flags["date"]:
			return t.Format(time.DateOnly), true, nil
		}
		return t.Format(time.RFC3339), true, nil
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), true, nil
	case reflect.Bool:
		if flags["int"] {
			if v.Bool() {
				return "1", true, nil
			}
			return "0", true, nil
		}
		return strconv.FormatBool(v.Bool()), true, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), true, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10), true, nil
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'f', -1, 64), true, nil
	}
	return "", false, fmt.Errorf("unsupported type %s", v.Type())
}
