package main

import (
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/search"
)

// pagination is the links between the pages of a result.
type pagination struct {
	Lang        string
	Page, Pages int
	Prev, Next  string
	Links       []pageLink
}

type pageLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool // stands for the pages left out
}

// paginate links the first, last and nearby pages, with gaps between.
func (s *Server) paginate(c echo.Context, res *search.Result, values url.Values, self string) *pagination {
	if res.PerPage <= 0 || res.Total <= res.PerPage {
		return nil
	}
	pages := (res.Total + res.PerPage - 1) / res.PerPage
	p := &pagination{Lang: pageLang(c), Page: res.Page, Pages: pages}
	at := func(n int) string {
		next := cloneValues(values)
		next.Del("page")
		if n > 1 {
			next.Set("page", strconv.Itoa(n))
		}
		return withQuery(self, next.Encode())
	}
	if res.Page > 1 {
		p.Prev = at(res.Page - 1)
	}
	if res.Page < pages {
		p.Next = at(res.Page + 1)
	}
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < res.Page-2 || n > res.Page+2) {
			continue
		}
		if last != 0 && n > last+1 {
			p.Links = append(p.Links, pageLink{Gap: true})
		}
		p.Links = append(p.Links, pageLink{Number: n, URL: at(n), Current: n == res.Page})
		last = n
	}
	return p
}
