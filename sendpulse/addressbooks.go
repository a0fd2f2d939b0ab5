package sendpulse

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// AddressBooksService manages Bulk Email mailing lists (address books).
type AddressBooksService service

// MaxDeleteBatch is the most addresses SendPulse deletes in one call;
// DeleteEmails splits larger inputs.
const MaxDeleteBatch = 100

// AddressBook is a mailing list.
type AddressBook struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	AllEmailQty      int    `json:"all_email_qty"`
	ActiveEmailQty   int    `json:"active_email_qty"`
	InactiveEmailQty int    `json:"inactive_email_qty"`
	CreationDate     string `json:"creationdate,omitempty"` // "YYYY-MM-DD hh:mm:ss"
	Status           int    `json:"status"`
	StatusExplain    string `json:"status_explain,omitempty"`
}

// Subscriber is an address with its variables, as AddEmails sends it.
type Subscriber struct {
	Email     string            `json:"email"`
	Variables map[string]string `json:"variables,omitempty"`
}

// AddEmailsOptions turns on double opt-in for AddEmails.
type AddEmailsOptions struct {
	// Confirmation "force" sends a confirmation e-mail from SenderEmail
	// with TemplateID before the address becomes active.
	Confirmation string `json:"confirmation,omitempty"`
	SenderEmail  string `json:"sender_email,omitempty"`
	TemplateID   string `json:"template_id,omitempty"`
	MessageLang  string `json:"message_lang,omitempty"`
}

type addEmailsBody struct {
	Emails []Subscriber `json:"emails"`
	*AddEmailsOptions
}

type emailsBody struct {
	Emails []string `json:"emails"`
}

func bookPath(id int64, rest string) string {
	return "/addressbooks/" + itoa(id) + rest
}

// List returns one page of address books (SendPulse's default page is 100).
//
// API: GET /addressbooks
func (s *AddressBooksService) List(ctx context.Context, opts *ListOptions) ([]AddressBook, error) {
	var q url.Values
	if opts != nil {
		q = url.Values{}
		if opts.Limit > 0 {
			q.Set("limit", strconv.Itoa(opts.Limit))
		}
		if opts.Offset > 0 {
			q.Set("offset", strconv.Itoa(opts.Offset))
		}
	}
	var out list[AddressBook]
	err := s.c.do(ctx, httpx.Request{Path: "/addressbooks", Query: q}, &out)
	return out, err
}

// All iterates over every address book, 100 per page.
func (s *AddressBooksService) All(ctx context.Context) iter.Seq2[AddressBook, error] {
	return func(yield func(AddressBook, error) bool) {
		o := ListOptions{Limit: 100}
		for {
			page, err := s.List(ctx, &o)
			if err != nil {
				yield(AddressBook{}, err)
				return
			}
			for _, b := range page {
				if !yield(b, nil) {
					return
				}
			}
			if len(page) < o.Limit {
				return
			}
			o.Offset += len(page)
		}
	}
}

// AddEmails adds subscribers to a book. An address already in the book has
// its variables updated, so the call is an upsert and is retried on 5xx.
//
// API: POST /addressbooks/{id}/emails
func (s *AddressBooksService) AddEmails(ctx context.Context, bookID int64, subs []Subscriber, opts *AddEmailsOptions) error {
	if len(subs) == 0 {
		return errors.New("sendpulse: AddressBooks.AddEmails: no e-mail given")
	}
	for _, sub := range subs {
		if sub.Email == "" {
			return errors.New("sendpulse: AddressBooks.AddEmails: empty e-mail")
		}
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: bookPath(bookID, "/emails"),
		JSON: addEmailsBody{Emails: subs, AddEmailsOptions: opts}, Idempotent: true}, nil)
}

// DeleteEmails removes addresses from a book, in calls of at most
// MaxDeleteBatch addresses. When a batch fails, the batches before it have
// been applied; deleting them again is harmless, so calling DeleteEmails
// again with the same input completes the job.
//
// API: DELETE /addressbooks/{id}/emails
func (s *AddressBooksService) DeleteEmails(ctx context.Context, bookID int64, emails []string) error {
	if len(emails) == 0 {
		return errors.New("sendpulse: AddressBooks.DeleteEmails: no e-mail given")
	}
	for start := 0; start < len(emails); start += MaxDeleteBatch {
		end := min(start+MaxDeleteBatch, len(emails))
		err := s.c.do(ctx, httpx.Request{Method: http.MethodDelete, Path: bookPath(bookID, "/emails"),
			JSON: emailsBody{emails[start:end]}, Idempotent: true}, nil)
		if err != nil {
			return err
		}
	}
	return nil
}

// Unsubscribe marks addresses of a book as unsubscribed.
//
// API: POST /addressbooks/{id}/emails/unsubscribe
func (s *AddressBooksService) Unsubscribe(ctx context.Context, bookID int64, emails []string) error {
	if len(emails) == 0 {
		return errors.New("sendpulse: AddressBooks.Unsubscribe: no e-mail given")
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: bookPath(bookID, "/emails/unsubscribe"),
		JSON: emailsBody{emails}, Idempotent: true}, nil)
}
