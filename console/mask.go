package console

import (
	"bytes"
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// maskEmail keeps the first letter of the local part and of the domain, and
// the top-level domain: "j***@e***.com".
func maskEmail(s string) string {
	if s == "" {
		return ""
	}
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return maskText(s)
	}
	local, domain := s[:at], s[at+1:]
	tld := ""
	if dot := strings.LastIndexByte(domain, '.'); dot >= 0 {
		domain, tld = domain[:dot], domain[dot:]
	}
	return first(local) + "***@" + first(domain) + "***" + tld
}

// maskText keeps the first letter of each word: "J*** D***".
func maskText(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = first(w) + "***"
	}
	return strings.Join(words, " ")
}

// maskDigits keeps the last two characters: "*******89".
func maskDigits(s string) string {
	n := utf8.RuneCountInString(s)
	if n <= 2 {
		return strings.Repeat("*", n)
	}
	r := []rune(s)
	return strings.Repeat("*", n-2) + string(r[n-2:])
}

func first(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 || r == utf8.RuneError {
		return ""
	}
	return string(r)
}

// Objects of the payload that describe a person: every string and number
// inside them is personal data, except the keys in keepInPerson.
var personObjects = map[string]bool{
	"buyer": true, "subscriber": true, "user": true, "shopper": true, "student": true, "contact": true,
}

var keepInPerson = map[string]bool{"document_type": true, "code": true, "ucode": true, "country_iso": true}

// maskPayload pretty-prints a payload with the personal data masked (or not,
// when reveal). Keys are written in sorted order.
func maskPayload(raw json.RawMessage, reveal bool) string {
	if len(raw) == 0 {
		return "null"
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "(payload is not valid JSON)"
	}
	if !reveal {
		v = maskValue(v, "", false)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return "(payload cannot be shown)"
	}
	return string(out)
}

func maskValue(v any, key string, inPerson bool) any {
	switch x := v.(type) {
	case map[string]any:
		person := inPerson || personObjects[key]
		for k, val := range x {
			x[k] = maskValue(val, k, person)
		}
		return x
	case []any:
		for i := range x {
			x[i] = maskValue(x[i], key, inPerson)
		}
		return x
	case string:
		lk := strings.ToLower(key)
		switch {
		case strings.Contains(lk, "email"):
			return maskEmail(x)
		case inPerson && keepInPerson[lk]:
			return x
		case inPerson && (strings.Contains(lk, "name")):
			return maskText(x)
		case inPerson:
			return maskDigits(x)
		}
		return x
	case json.Number:
		if inPerson && !keepInPerson[strings.ToLower(key)] {
			return maskDigits(x.String())
		}
		return x
	}
	return v
}
