package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/models/store"
)

// staffPage is what every staff page shows besides its own data: the form (errors, notices,
// the forgery token), whether the search index is being rebuilt and whether the account may
// manage accounts.
type staffPage struct {
	Form       *form
	Rebuilding bool
	Admin      bool
}

func (s *Server) staffPageOf(c echo.Context, f *form) staffPage {
	if f == nil {
		f = s.newForm(c)
	}
	return staffPage{Form: f, Rebuilding: s.reindex.isRunning(), Admin: actorOf(c).IsAdmin()}
}

// staffRender renders a staff page; staff pages are never indexed.
func (s *Server) staffRender(c echo.Context, status int, name, titleKey string, data any) error {
	p := s.newPage(c, "staff", s.tr(c, titleKey), "")
	p.NoIndex, p.Data = true, data
	return s.render(c, status, name, p)
}

// staffRedirect sends the browser back to a staff page with a notice (?done=NAME).
func (s *Server) staffRedirect(c echo.Context, path, done string) error {
	return c.Redirect(http.StatusSeeOther, localPath(pageLang(c), path)+querySep(path)+"done="+done)
}

// querySep is what joins one more parameter to path: "?" or "&".
func querySep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// kindCount is one kind of work in the queue: how many wait, since when.
type kindCount struct {
	Kind   string
	Label  string
	Count  int
	Oldest time.Time
}

type staffHomeData struct {
	staffPage
	Kinds []kindCount
	Total int
}

func (s *Server) staffHome(c echo.Context) error {
	items, err := s.store.ReviewQueue(c.Request().Context(), actorOf(c), "")
	if err != nil {
		return err
	}
	d := &staffHomeData{staffPage: s.staffPageOf(c, nil), Total: len(items)}
	for _, k := range store.ReviewKinds {
		kc := kindCount{Kind: k, Label: s.tr(c, "staff.kind."+k)}
		for _, it := range items {
			if it.Kind == k {
				if kc.Count == 0 {
					kc.Oldest = it.Since
				}
				kc.Count++
			}
		}
		d.Kinds = append(d.Kinds, kc)
	}
	// The kind that has waited longest comes first; empty kinds last.
	slices.SortStableFunc(d.Kinds, func(a, b kindCount) int {
		switch {
		case a.Count == 0 || b.Count == 0:
			return b.Count - a.Count
		}
		return a.Oldest.Compare(b.Oldest)
	})
	return s.staffRender(c, http.StatusOK, "staff", "staff.title", d)
}

// indexRebuild runs search index rebuilds in the background, one at a time: an edit made while
// one runs asks for another when it ends, so the last edit is always indexed.
type indexRebuild struct {
	mu      sync.Mutex
	running bool
	pending bool
	done    chan struct{} // closed when the running loop ends
}

// start rebuilds the index in the background unless a rebuild is running, in which case that
// one runs again when it ends. The site keeps serving the old index meanwhile.
func (r *indexRebuild) start(rebuild func(context.Context) error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = true
	if r.running {
		return
	}
	r.running, r.done = true, make(chan struct{})
	go r.loop(rebuild, r.done)
}

func (r *indexRebuild) loop(rebuild func(context.Context) error, done chan struct{}) {
	defer close(done)
	for {
		r.mu.Lock()
		if !r.pending {
			r.running = false
			r.mu.Unlock()
			return
		}
		r.pending = false
		r.mu.Unlock()
		start := time.Now()
		if err := rebuild(context.Background()); err != nil {
			slog.Error("rebuild the search index after a reference edit", "err", err)
		} else {
			slog.Info("search index rebuilt after a reference edit", "took", time.Since(start))
		}
	}
}

// isRunning reports whether a rebuild runs now.
func (r *indexRebuild) isRunning() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.running
}

// wait blocks until no rebuild runs.
func (r *indexRebuild) wait() {
	r.mu.Lock()
	done := r.done
	r.mu.Unlock()
	if done != nil {
		<-done
	}
}

func (s *Server) rebuildIndex() {
	if s.index == nil {
		return
	}
	s.reindex.start(s.index.Rebuild)
}

// storeFormError shows err on f if it is a validation error, or a refusal (forbidden,
// conflict) the user can act on; it reports whether it did.
func (s *Server) storeFormError(c echo.Context, f *form, field string, err error) bool {
	switch {
	case s.setErrors(f, err):
	case errors.Is(err, models.ErrConflict):
		f.fail(field, s.tr(c, "staff.error.conflict"))
	case errors.Is(err, models.ErrForbidden):
		f.fail(field, s.tr(c, "staff.error.forbidden"))
	default:
		return false
	}
	return true
}

// choiceView is one input of a form of which a page shows many (a decision per queue item, a
// role per account): its id carries the form's key, and it shows f's errors and values only
// when f is that form's.
type choiceView struct {
	ID, Name, Label, Hint, Error, Value string
	Options                             []kindOption
}

// choiceOf builds the view of field name in the form keyed key; mine says whether f is that
// form's submission. pairs are option values and labels, "hint" and its text, or "value" and
// the value shown when f is another form's (an account's current role).
func choiceOf(f *form, mine bool, key, name, label string, pairs ...string) choiceView {
	v := choiceView{ID: key + "-" + name, Name: name, Label: label}
	if mine {
		v.Error, v.Value = f.Errors[name], f.Value(name)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		switch pairs[i] {
		case "hint":
			v.Hint = pairs[i+1]
			continue
		case "value":
			if !mine {
				v.Value = pairs[i+1]
			}
			continue
		}
		v.Options = append(v.Options, kindOption{Value: pairs[i], Label: pairs[i+1]})
	}
	return v
}
