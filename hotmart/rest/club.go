package rest

import (
	"context"
	"github.com/hotmartkit/hotmartkit/hotmart"
	"github.com/hotmartkit/hotmartkit/internal/query"
	"iter"
	"net/url"
)

// ClubService reads the members area (Hotmart Club): /club/api/v1 and v2.
// The v1 calls need the members area's subdomain.
type ClubService service

// ClubModule is one module of a members area.
type ClubModule struct {
	ModuleID    string   `json:"module_id"`
	Name        string   `json:"name"`
	Sequence    int      `json:"sequence"`
	IsExtra     bool     `json:"is_extra"`
	IsExtraPaid bool     `json:"is_extra_paid"`
	IsPublic    bool     `json:"is_public"`
	Classes     []string `json:"classes"`
	TotalPages  int      `json:"total_pages"`
}

// ClubRate is a rating bucket of a page.
type ClubRate struct {
	Rate  int `json:"rate"`
	Total int `json:"total"`
}

// ClubPage is a page (lesson) of a module, v1 shape.
type ClubPage struct {
	Name           string       `json:"name"`
	PageOrder      int          `json:"page_order"`
	Type           string       `json:"type"`
	HasMedia       bool         `json:"has_media"`
	HasDuration    bool         `json:"has_duration"`
	TotalComments  int          `json:"total_comments"`
	LiberationType string       `json:"liberation_type"` // BY_DATE or BY_DAYS
	LiberationDays int          `json:"liberation_days,omitempty"`
	LiberationDate hotmart.Time `json:"liberation_date"`
	DaysOfDuration int          `json:"days_of_duration,omitempty"`
	Rates          []ClubRate   `json:"rates"`
}

// ClubPageV2 is a page of a module, v2 shape.
type ClubPageV2 struct {
	PageID          string             `json:"page_id"`
	Name            string             `json:"name"`
	Type            string             `json:"type"` // CONTENT, ADVERTISEMENT, QUIZ, WEBINAR
	PageOrder       int                `json:"page_order"`
	TotalComments   int                `json:"total_comments"`
	Rates           []ClubRate         `json:"rates"`
	RatesAverage    hotmart.Decimal    `json:"rates_average"`
	Published       bool               `json:"published"`
	HasMedia        bool               `json:"has_media"`
	DrippingConfigs []ClubDrippingRule `json:"dripping_configs"`
}

// ClubDrippingRule says when a v2 page is released and expires, per class.
type ClubDrippingRule struct {
	Liberation struct {
		Type           string       `json:"type"` // BY_DAYS, BY_DATE, BY_QUIZ
		LiberationDays int          `json:"liberation_days,omitempty"`
		LiberationDate hotmart.Time `json:"liberation_date"`
		PageID         string       `json:"page_id,omitempty"`
	} `json:"liberation"`
	Expiration struct {
		Type         string `json:"type"`
		DurationDays int    `json:"duration_days"`
	} `json:"expiration"`
	Classes []struct {
		ID           string `json:"id"`
		Name         string `json:"name"`
		DefaultClass bool   `json:"default_class"`
	} `json:"classes"`
}

// ClubUser is a member of a members area.
type ClubUser struct {
	UserID          string       `json:"user_id"`
	Name            string       `json:"name"`
	Email           string       `json:"email"`
	Role            string       `json:"role"`
	LastAccessDate  hotmart.Time `json:"last_access_date"`
	FirstAccessDate hotmart.Time `json:"first_access_date"`
	Locale          string       `json:"locale"`
	PlusAccess      string       `json:"plus_access"`
	Progress        struct {
		CompletedPercentage hotmart.Decimal `json:"completed_percentage"`
		Total               int             `json:"total"`
		Completed           int             `json:"completed"`
	} `json:"progress"`
	Status       string       `json:"status"`
	PurchaseDate hotmart.Time `json:"purchase_date"`
	AccessCount  int          `json:"access_count"`
	IsDeletable  bool         `json:"is_deletable"`
	ClassID      string       `json:"class_id"`
	Type         string       `json:"type"`
	Engagement   string       `json:"engagement"`
}

// ClubLesson is a member's progress on one page.
type ClubLesson struct {
	PageID        string       `json:"page_id"`
	PageName      string       `json:"page_name"`
	ModuleName    string       `json:"module_name"`
	IsModuleExtra bool         `json:"is_module_extra"`
	IsCompleted   bool         `json:"is_completed"`
	CompletedDate hotmart.Time `json:"completed_date"`
}

// ClubModulesOptions are the query parameters of GET /club/api/v1/modules.
type ClubModulesOptions struct {
	Subdomain string `url:"subdomain"` // required
	IsExtra   *bool  `url:"is_extra,omitempty"`
}

// Modules lists the modules of a members area (a bare array).
func (s *ClubService) Modules(ctx context.Context, opts ClubModulesOptions) ([]ClubModule, error) {
	if opts.Subdomain == "" {
		return nil, errEmpty("Club.Modules", "subdomain")
	}
	var out []ClubModule
	if err := s.c.get(ctx, "/club/api/v1/modules", query.MustValues(opts), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Pages lists a module's pages (v1, by subdomain).
func (s *ClubService) Pages(ctx context.Context, subdomain, moduleID string) ([]ClubPage, error) {
	if subdomain == "" {
		return nil, errEmpty("Club.Pages", "subdomain")
	}
	if moduleID == "" {
		return nil, errEmpty("Club.Pages", "module id")
	}
	var out []ClubPage
	if err := s.c.get(ctx, "/club/api/v1/modules/"+pathEscape(moduleID)+"/pages", url.Values{"subdomain": {subdomain}}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// PagesV2 lists a module's pages (v2, by product id).
func (s *ClubService) PagesV2(ctx context.Context, productID, moduleID string) ([]ClubPageV2, error) {
	if productID == "" {
		return nil, errEmpty("Club.PagesV2", "product id")
	}
	if moduleID == "" {
		return nil, errEmpty("Club.PagesV2", "module id")
	}
	var out []ClubPageV2
	if err := s.c.get(ctx, "/club/api/v2/modules/"+pathEscape(moduleID)+"/pages", url.Values{"product_id": {productID}}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// ClubUserListOptions are the query parameters of GET /club/api/v1/users.
type ClubUserListOptions struct {
	ListOptions
	Subdomain string `url:"subdomain,omitempty"` // required
	Email     string `url:"email,omitempty"`     // full or partial
}

// Users returns one page of the members of a members area.
func (s *ClubService) Users(ctx context.Context, opts *ClubUserListOptions) (*Page[ClubUser], error) {
	if opts == nil || opts.Subdomain == "" {
		return nil, errEmpty("Club.Users", "subdomain")
	}
	return getPage[ClubUser](ctx, s.c, "/club/api/v1/users", opts)
}

// AllUsers iterates over every member.
func (s *ClubService) AllUsers(ctx context.Context, opts *ClubUserListOptions) iter.Seq2[ClubUser, error] {
	return paginate(ctx, opts, s.Users)
}

// Lessons returns a member's progress on every page.
func (s *ClubService) Lessons(ctx context.Context, subdomain, userID string) ([]ClubLesson, error) {
	if subdomain == "" {
		return nil, errEmpty("Club.Lessons", "subdomain")
	}
	if userID == "" {
		return nil, errEmpty("Club.Lessons", "user id")
	}
	var out struct {
		Lessons []ClubLesson `json:"lessons"`
	}
	if err := s.c.get(ctx, "/club/api/v1/users/"+pathEscape(userID)+"/lessons", url.Values{"subdomain": {subdomain}}, &out); err != nil {
		return nil, err
	}
	return out.Lessons, nil
}
