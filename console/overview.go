package console

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/hotmartkit/hotmartkit/webhook"
)

// scanLimit bounds how many recent events or deliveries a summary reads.
const scanLimit = 10000

type stateCount struct {
	State webhook.EventState
	Count int
}

type providerError struct {
	Provider, Segmentation, EventID, Error string
	At                                     time.Time
}

type bar struct {
	X, Y, W, H int
	Count      int
	Label      string // the hour, e.g. "14h"
	Tick       bool   // print the label under this bar
}

type chart struct {
	Bars          []bar
	Width, Height int
	Max, Total    int
	BaseY         int
}

type overviewData struct {
	HasLog, HasHistory bool
	States             []stateCount
	Errors             []providerError
	Chart              chart
}

func (c *Console) overview(w http.ResponseWriter, r *http.Request, s *session) {
	now := c.now()
	since := now.Add(-24 * time.Hour)
	d := overviewData{HasLog: c.events != nil, HasHistory: c.history != nil}
	var times []time.Time
	if c.events != nil {
		evs, err := c.events.Events(r.Context(), webhook.EventQuery{Since: since, Limit: scanLimit})
		if err != nil {
			c.failure(w, r, s, http.StatusServiceUnavailable, "the event log is unavailable", err)
			return
		}
		counts := map[webhook.EventState]int{}
		seen := map[string]bool{}
		for _, e := range evs {
			counts[e.State]++
			for _, a := range e.Actions {
				if a.Status == "failed" && !seen[a.Provider] {
					seen[a.Provider] = true
					d.Errors = append(d.Errors, providerError{Provider: a.Provider, Segmentation: a.Segmentation,
						EventID: e.EventID, Error: a.Error, At: e.ReceivedAt})
				}
			}
			times = append(times, e.ReceivedAt)
		}
		for _, st := range allStates {
			d.States = append(d.States, stateCount{st, counts[st]})
		}
	}
	if c.history != nil {
		ds, err := c.deliveriesSince(r.Context(), since)
		if err != nil {
			c.failure(w, r, s, http.StatusServiceUnavailable, "the delivery history is unavailable", err)
			return
		}
		times = times[:0]
		seen := map[string]bool{}
		for _, e := range d.Errors {
			seen[e.Provider] = true
		}
		for _, dl := range ds {
			times = append(times, dl.ReceivedAt)
			for _, a := range dl.Actions {
				if a.Status == "failed" && !seen[a.Provider] {
					seen[a.Provider] = true
					d.Errors = append(d.Errors, providerError{Provider: a.Provider, Segmentation: a.Segmentation,
						EventID: dl.EventID, Error: a.Error, At: dl.ReceivedAt})
				}
			}
		}
	}
	sort.Slice(d.Errors, func(i, j int) bool { return d.Errors[i].Provider < d.Errors[j].Provider })
	d.Chart = hourlyChart(now, times)
	c.render(w, r, http.StatusOK, "overview", page{Title: "Overview", Nav: "overview", CSRF: s.csrf, Data: d})
}

func (c *Console) deliveriesSince(ctx context.Context, since time.Time) ([]webhook.Delivery, error) {
	ds, err := c.history.Deliveries(ctx, webhook.Query{Limit: scanLimit})
	if err != nil {
		return nil, err
	}
	for i, d := range ds { // newest first
		if d.ReceivedAt.Before(since) {
			return ds[:i], nil
		}
	}
	return ds, nil
}

// hourlyChart counts times into the 24 hours ending with now's hour and
// lays the bars out for an inline SVG.
func hourlyChart(now time.Time, times []time.Time) chart {
	const n, barW, gap, height, base = 24, 22, 4, 120, 100
	end := now.UTC().Truncate(time.Hour).Add(time.Hour)
	start := end.Add(-n * time.Hour)
	counts := make([]int, n)
	total := 0
	for _, t := range times {
		if t.Before(start) || !t.Before(end) {
			continue
		}
		counts[int(t.UTC().Sub(start)/time.Hour)]++
		total++
	}
	maxC := 0
	for _, v := range counts {
		maxC = max(maxC, v)
	}
	ch := chart{Width: n * (barW + gap), Height: height, Max: maxC, Total: total, BaseY: base}
	scale := max(maxC, 1)
	for i, v := range counts {
		h := v * (base - 10) / scale
		if v > 0 && h < 2 {
			h = 2
		}
		hour := start.Add(time.Duration(i) * time.Hour).Hour()
		ch.Bars = append(ch.Bars, bar{X: i * (barW + gap), Y: base - h, W: barW, H: h, Count: v,
			Label: fmt.Sprintf("%02dh", hour), Tick: i%3 == 0})
	}
	return ch
}
