package sendpulse

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/hotmartkit/hotmartkit/internal/httpx"
)

// ContactsService manages CRM contacts.
type ContactsService service

// Contact is a CRM contact.
type Contact struct {
	ID                int64            `json:"id"`
	ResponsibleID     int64            `json:"responsibleId,omitempty"`
	FirstName         string           `json:"firstName,omitempty"`
	LastName          string           `json:"lastName,omitempty"`
	ExternalContactID string           `json:"externalContactId,omitempty"`
	Emails            []ContactEmail   `json:"emails,omitempty"`
	Phones            []ContactPhone   `json:"phones,omitempty"`
	Tags              []Tag            `json:"tags,omitempty"`
	Attributes        []AttributeValue `json:"attributes,omitempty"`
	DealsQty          int              `json:"dealsQty,omitempty"`
	CreatedAt         string           `json:"createdAt,omitempty"`
	UpdatedAt         string           `json:"updatedAt,omitempty"`
}

// HasEmail reports whether c carries email, compared case-insensitively.
func (c *Contact) HasEmail(email string) bool {
	for _, e := range c.Emails {
		if strings.EqualFold(strings.TrimSpace(e.Email), strings.TrimSpace(email)) {
			return true
		}
	}
	return false
}

// ContactEmail is one e-mail address of a contact.
type ContactEmail struct {
	ID     int64  `json:"id,omitempty"`
	Email  string `json:"email"`
	IsMain bool   `json:"isMain"`
}

// ContactPhone is one phone number of a contact.
type ContactPhone struct {
	ID     int64  `json:"id,omitempty"`
	Phone  string `json:"phone"`
	IsMain bool   `json:"isMain,omitempty"`
}

// Tag is a contact tag.
type Tag struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// AttributeValue is the value of a custom attribute on a contact or deal.
type AttributeValue struct {
	AttributeID int64  `json:"attributeId"`
	Name        string `json:"name,omitempty"`
	Value       Text   `json:"value"`
}

// ContactCreate is the body of Create. SendPulse's current create call
// takes no e-mail or phone: add them with AddEmails and AddPhone.
type ContactCreate struct {
	ResponsibleID     int64  `json:"responsibleId"`
	FirstName         string `json:"firstName,omitempty"`
	LastName          string `json:"lastName,omitempty"`
	ExternalContactID string `json:"externalContactId,omitempty"`
}

// Create creates a contact.
//
// API: POST /crm/v1/contacts/create
func (s *ContactsService) Create(ctx context.Context, in *ContactCreate) (*Contact, error) {
	if in == nil {
		return nil, argErr("Contacts.Create", "contact", "is required")
	}
	if err := checkID("Contacts.Create", "ResponsibleID", in.ResponsibleID); err != nil {
		return nil, err
	}
	return s.one(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/contacts/create", JSON: in,
		Sensitive: []string{in.FirstName, in.LastName}})
}

// Get returns one contact.
//
// API: GET /crm/v1/contacts/{contactId}
func (s *ContactsService) Get(ctx context.Context, id int64) (*Contact, error) {
	if err := checkID("Contacts.Get", "id", id); err != nil {
		return nil, err
	}
	return s.one(ctx, httpx.Request{Path: "/crm/v1/contacts/" + itoa(id)})
}

// GetByExternalID returns the contact created with externalContactId ext;
// a 404 (IsNotFound) when there is none.
//
// API: GET /crm/v1/contacts/external/{externalContactId}
func (s *ContactsService) GetByExternalID(ctx context.Context, ext string) (*Contact, error) {
	if err := checkSegment("Contacts.GetByExternalID", "ext", ext); err != nil {
		return nil, err
	}
	return s.one(ctx, httpx.Request{Path: "/crm/v1/contacts/external/" + ext})
}

func (s *ContactsService) one(ctx context.Context, r httpx.Request) (*Contact, error) {
	var out envelope[*Contact]
	if err := s.c.do(ctx, r, &out); err != nil {
		return nil, err
	}
	if out.Data == nil || out.Data.ID == 0 {
		return nil, errEmpty("contact")
	}
	return out.Data, nil
}

// ListByEmailOptions tunes ListByEmail.
type ListByEmailOptions struct {
	// Partial matches addresses containing the text instead of equal to it.
	Partial bool
}

// ListByEmail returns the contacts carrying email, matched exactly (as
// isEmailFullSearch=true) unless opts.Partial.
//
// API: POST /crm/v1/contacts/get-list-by-email
func (s *ContactsService) ListByEmail(ctx context.Context, email string, opts *ListByEmailOptions) ([]Contact, error) {
	body := struct {
		Email             string `json:"email"`
		IsEmailFullSearch bool   `json:"isEmailFullSearch"`
	}{Email: email, IsEmailFullSearch: opts == nil || !opts.Partial}
	var out envelope[list[Contact]]
	// A search changes nothing, so it is retried like a GET.
	err := s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/contacts/get-list-by-email", JSON: body, Idempotent: true}, &out)
	return out.Data, err
}

// AddEmails adds e-mail addresses to a contact.
//
// API: POST /crm/v1/contacts/{contactId}/emails
func (s *ContactsService) AddEmails(ctx context.Context, contactID int64, emails ...ContactEmail) error {
	if err := checkID("Contacts.AddEmails", "contactID", contactID); err != nil {
		return err
	}
	if len(emails) == 0 {
		return argErr("Contacts.AddEmails", "emails", "is empty")
	}
	body := struct {
		Emails []ContactEmail `json:"emails"`
	}{emails}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/contacts/" + itoa(contactID) + "/emails", JSON: body}, nil)
}

// AddPhone adds a phone number to a contact.
//
// API: POST /crm/v1/contacts/{contactId}/phones
func (s *ContactsService) AddPhone(ctx context.Context, contactID int64, phone string) error {
	if err := checkID("Contacts.AddPhone", "contactID", contactID); err != nil {
		return err
	}
	if phone == "" {
		return argErr("Contacts.AddPhone", "phone", "is required")
	}
	body := struct {
		Phone string `json:"phone"`
	}{phone}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/contacts/" + itoa(contactID) + "/phones", JSON: body}, nil)
}

// Attributes lists the contact attribute definitions of the account.
//
// API: GET /crm/v1/contacts/attributes
func (s *ContactsService) Attributes(ctx context.Context) ([]AttributeDef, error) {
	var out envelope[list[AttributeDef]]
	err := s.c.do(ctx, httpx.Request{Path: "/crm/v1/contacts/attributes"}, &out)
	return out.Data, err
}

// SetAttributes sets attribute values on a contact in one call. Setting
// the same values again changes nothing, so the call is retried on 5xx.
//
// API: POST /crm/v1/contacts/{contactId}/attributes/batch
func (s *ContactsService) SetAttributes(ctx context.Context, contactID int64, values ...AttributeValue) error {
	if err := checkID("Contacts.SetAttributes", "contactID", contactID); err != nil {
		return err
	}
	if len(values) == 0 {
		return nil
	}
	type kv struct {
		AttributeID int64 `json:"attributeId"`
		Value       Text  `json:"value"`
	}
	body := struct {
		AttributesValues []kv `json:"attributesValues"`
	}{make([]kv, len(values))}
	for i, v := range values {
		body.AttributesValues[i] = kv{v.AttributeID, v.Value}
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/contacts/" + itoa(contactID) + "/attributes/batch", JSON: body, Idempotent: true}, nil)
}

// Tags lists the account's contact tags.
//
// API: GET /crm/v1/contact-tags
func (s *ContactsService) Tags(ctx context.Context) ([]Tag, error) {
	var out envelope[list[Tag]]
	err := s.c.do(ctx, httpx.Request{Path: "/crm/v1/contact-tags"}, &out)
	return out.Data, err
}

// CreateTag creates a contact tag (name at most 64 characters).
//
// API: POST /crm/v1/contact-tags
func (s *ContactsService) CreateTag(ctx context.Context, name string) (*Tag, error) {
	if name == "" || len([]rune(name)) > 64 {
		return nil, argErr("Contacts.CreateTag", "name", "must be 1 to 64 characters")
	}
	var out envelope[*Tag]
	err := s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/contact-tags", JSON: Tag{Name: name}}, &out)
	if err != nil {
		return nil, err
	}
	if out.Data == nil {
		return nil, errEmpty("tag")
	}
	return out.Data, nil
}

// AddTag attaches a tag to a contact; attaching it twice changes nothing.
//
// API: POST /crm/v1/contact-tags/{tagId}/contact/{contactId}
func (s *ContactsService) AddTag(ctx context.Context, tagID, contactID int64) error {
	if err := errors.Join(checkID("Contacts.AddTag", "tagID", tagID), checkID("Contacts.AddTag", "contactID", contactID)); err != nil {
		return err
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodPost, Path: "/crm/v1/contact-tags/" + itoa(tagID) + "/contact/" + itoa(contactID), Idempotent: true}, nil)
}

// RemoveTag detaches a tag from a contact.
//
// API: DELETE /crm/v1/contact-tags/{tagId}/contact/{contactId}
func (s *ContactsService) RemoveTag(ctx context.Context, tagID, contactID int64) error {
	if err := errors.Join(checkID("Contacts.RemoveTag", "tagID", tagID), checkID("Contacts.RemoveTag", "contactID", contactID)); err != nil {
		return err
	}
	return s.c.do(ctx, httpx.Request{Method: http.MethodDelete, Path: "/crm/v1/contact-tags/" + itoa(tagID) + "/contact/" + itoa(contactID), Idempotent: true}, nil)
}
