package webhook

import "testing"

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain failure", "plain failure"},
		{"lead a.b+c@mail.example.com refused", "lead [email] refused"},
		{"two: x@y.io, z@w.org.", "two: [email], [email]."},
		{"a lone @ sign and user@", "a lone @ sign and user@"},
		{"cpf 123.456.789-09 invalid", "cpf [number] invalid"},
		{"phone (31) 98888-7777.", "phone [number]."},
		{"phone +55 31 988887777", "phone [number]"},
		{"transaction HP16015479281022 kept", "transaction HP16015479281022 kept"},
		{"short 12345678 kept, date 2025-11-15 kept", "short 12345678 kept, date 2025-11-15 kept"},
		{"status 502 after 3 tries", "status 502 after 3 tries"},
		{"token SECRET-TOKEN leaked", "token [hottok] leaked"},
	}
	for _, tt := range tests {
		if got := redact(tt.in, []string{"SECRET-TOKEN"}, nil); got != tt.want {
			t.Errorf("redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A short token (which WithHottok refuses) must not shred ordinary words.
func TestRedactIgnoresShortTokens(t *testing.T) {
	const in = "segmentation failed"
	for _, tok := range []string{"t", "at", "ation", "1234567"} {
		if got := redact(in, []string{tok}, nil); got != in {
			t.Errorf("redact with token %q = %q, want the text unchanged", tok, got)
		}
	}
	if got := redact("token hottok-12345 leaked", []string{"hottok-12345"}, nil); got != "token [hottok] leaked" {
		t.Errorf("long token not masked: %q", got)
	}
}
