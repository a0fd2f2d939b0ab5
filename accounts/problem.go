package accounts

import (
	"strconv"
	"strings"
)

// Problem is one thing wrong with an accounts file. Its message names the
// account and the field, never a value read from the environment, a secret
// or a hottok.
type Problem struct {
	// Account is the account's id, "" when the account has no usable id
	// (or for a problem with the file as a whole).
	Account string
	// Index is the account's position in the file's "accounts" array; -1
	// for a problem with the file as a whole.
	Index int
	// Field is the path of the offending field inside the account, in the
	// file's spelling: "hottok[1]", "sendpulse.client_secret", "rules".
	// "" when the problem is the account as a whole. For a file-level
	// problem it is the top-level key, or "" for the whole file.
	Field string
	// Reason says what is wrong.
	Reason string
}

// Error reads like
// `accounts[acme].sendpulse.client_secret: ${SP_SECRET} is not set`.
func (p *Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.where())
	b.WriteString(": ")
	b.WriteString(p.Reason)
	return b.String()
}

func (p *Problem) where() string {
	if p.Index < 0 {
		if p.Field == "" {
			return "accounts file"
		}
		return p.Field
	}
	s := accountLabel(p.Account, p.Index)
	if p.Field != "" {
		s += "." + p.Field
	}
	return s
}

// accountLabel is how messages name an account: by id when it has one,
// else by position.
func accountLabel(id string, index int) string {
	if id != "" {
		return "accounts[" + id + "]"
	}
	return "accounts[" + strconv.Itoa(index) + "]"
}

// ConfigError lists every problem found in an accounts file, in file order.
// Hosts print Lines one per line and exit 2. Use errors.As to get it, or
// any single *Problem, from the error Load returns.
type ConfigError struct {
	Problems []*Problem
}

// Error lists the problems, one per line.
func (e *ConfigError) Error() string { return strings.Join(e.Lines(), "\n") }

// Lines returns one line per problem.
func (e *ConfigError) Lines() []string {
	out := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p.Error()
	}
	return out
}

// Unwrap returns the individual *Problem values.
func (e *ConfigError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// problems collects Problems while a file is checked.
type problems struct {
	list []*Problem
}

func (ps *problems) add(account string, index int, field, reason string) {
	// A reason is one line, so a host can print one line per problem.
	reason = strings.ReplaceAll(reason, "\n", "; ")
	ps.list = append(ps.list, &Problem{Account: account, Index: index, Field: field, Reason: reason})
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &ConfigError{Problems: ps.list}
}
