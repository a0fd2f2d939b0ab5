package leadlovers

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
)

// ErrTagNotListed is returned by Tags.Create when leadlovers accepted the
// tag but neither returned its id nor lists it yet; list the tags again
// later rather than creating it twice.
var ErrTagNotListed = errors.New("leadlovers: Tags.Create: tag accepted but not listed yet")

// TagsService manages the account's tags. Tagging a lead is on
// LeadsService (AddTag, RemoveTag, Tags).
type TagsService service

// Tag is one tag of the account. Count (leads carrying it) is only sent by
// some endpoints.
type Tag struct {
	ID    Code   `json:"Id"`
	Title string `json:"Title"`
	Count int    `json:"Count,omitempty"`
}

// List returns the account's tags.
//
// leadlovers API: GET /Tags.
func (s *TagsService) List(ctx context.Context) ([]Tag, error) {
	var out struct {
		Tags []Tag `json:"Tags"`
	}
	if err := s.c.do(ctx, call{method: "GET", path: "Tags"}, &out); err != nil {
		return nil, err
	}
	return out.Tags, nil
}

// Create creates a tag and returns it with its id. leadlovers does not
// always return the id, so when the reply lacks it the tag is looked up by
// title. Create is a POST and is not repeated after a network error or a
// 5xx; look the title up with List before calling it again.
//
// leadlovers API: POST /Tags.
func (s *TagsService) Create(ctx context.Context, title string) (*Tag, error) {
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, &ArgumentError{Method: "Tags.Create", Arg: "Title", Reason: "is required"}
	}
	var out struct {
		ID  Code `json:"Id"`
		Tag *Tag `json:"Tag"`
	}
	body := struct {
		Title string `json:"Title"`
	}{title}
	if err := s.c.do(ctx, call{method: "POST", path: "Tags", body: body}, &out); err != nil {
		return nil, err
	}
	switch {
	case out.ID > 0:
		return &Tag{ID: out.ID, Title: title}, nil
	case out.Tag != nil && out.Tag.ID > 0:
		return out.Tag, nil
	}
	tags, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tags {
		if strings.EqualFold(strings.TrimSpace(t.Title), title) {
			return &t, nil
		}
	}
	// Not an argument problem: the request went through. Look again later.
	return nil, ErrTagNotListed
}

// Exists reports whether the tag id belongs to the account.
//
// leadlovers API: GET /TagChecker.
func (s *TagsService) Exists(ctx context.Context, tag int) (bool, error) {
	if err := requirePositive("Tags.Exists", "tag", tag); err != nil {
		return false, err
	}
	var out struct {
		Result bool `json:"Result"`
	}
	if err := s.c.do(ctx, call{method: "GET", path: "TagChecker", query: url.Values{"tag": {strconv.Itoa(tag)}}}, &out); err != nil {
		return false, err
	}
	return out.Result, nil
}
