package sendpulse

import (
	"context"
	"iter"
	"net/http"
	"strconv"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
	"github.com/hotmartkit/hotmartkit/internal/query"
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

// AddressBookListOptions are the query parameters of GET /addressbooks.
type AddressBookListOptions struct {
	ListOptions // Limit: SendPulse's default is 100
}

// List returns one page of address books.
//
// API: GET /addressbooks
func (s *AddressBooksService) List(ctx context.Context, opts *AddressBookListOptions) (*Page[AddressBook], error) {
	o := AddressBookListOptions{}
	if opts != nil {
		o = *opts
	}
	var out list[AddressBook]
	if err := s.c.do(ctx, httpx.Request{Path: "/addressbooks", Query: query.MustValues(&o)}, &out); err != nil {
		return nil, err
	}
	return newPage(out, 0, o.ListOptions, 100), nil
}

// All iterates over every address book, 100 per page unless opts.Limit
// says otherwise.
func (s *AddressBooksService) All(ctx context.Context, opts *AddressBookListOptions) iter.Seq2[AddressBook, error] {
	o := AddressBookListOptions{}
	if opts != nil {
		o = *opts
	}
	if o.Limit <= 0 {
		o.Limit = 100
	}
	return allPages(ctx, &o, s.List)
}

// AddEmails adds subscribers to a book. An address already in the book has
// its variables updated, so the call is an upsert and is retried on 5xx.
//
// API: POST /addressbooks/{id}/emails
func (s *AddressBooksService) AddEmails(ctx context.Context, bookID int64, subs []Subscriber, opts *AddEmailsOptions) error {
	const m = "AddressBooks.AddEmails"
	if err := checkID(m, "bookID", bookID); err != nil {
		return err
	}
	if len(subs) == 0 {
		return argErr(m, "subscribers", "is empty")
	}
	var personal []string
	for i, sub := range subs {
		if sub.Email == "" {
			return argErr(m, "subscribers["+strconv.Itoa(i)+"].Email", "is required")
		}
		for _, v := range sub.Variables {
			personal = append(personal, v)
		}
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: bookPath(bookID, "/emails"),
		JSON: addEmailsBody{Emails: subs, AddEmailsOptions: opts}, Idempotent: true, Sensitive: personal}, nil)
}

// DeleteEmails removes addresses from a book, in calls of at most
// MaxDeleteBatch addresses. When a batch fails, the batches before it have
// been applied; deleting them again is harmless, so calling DeleteEmails
// again with the same input completes the job.
//
// API: DELETE /addressbooks/{id}/emails
func (s *AddressBooksService) DeleteEmails(ctx context.Context, bookID int64, emails []string) error {
	if err := checkID("AddressBooks.DeleteEmails", "bookID", bookID); err != nil {
		return err
	}
	if len(emails) == 0 {
		return argErr("AddressBooks.DeleteEmails", "emails", "is empty")
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
	if err := checkID("AddressBooks.Unsubscribe", "bookID", bookID); err != nil {
		return err
	}
	if len(emails) == 0 {
		return argErr("AddressBooks.Unsubscribe", "emails", "is empty")
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: bookPath(bookID, "/emails/unsubscribe"),
		JSON: emailsBody{emails}, Idempotent: true}, nil)
}
