package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoi-cnht/portal/models"
	"github.com/hanoi-cnht/portal/search"
)

// apiError is the body of every JSON error: a code, a safe message and, for bad input, the
// parameter at fault.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty"`
	// Fields lists every field at fault, each with a message in the request's language, when a
	// request body had several.
	Fields []fieldProblem `json:"fields,omitempty"`
}

// fieldProblem is one field of a request body that could not be used.
type fieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// statusClientClosed is the conventional status logged for a request the client abandoned.
const statusClientClosed = 499

// handleError maps every error to a status in one place; users see only safe messages.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, context.Canceled) {
		// The client went away (a type-ahead or results fetch replaced by a newer one): nobody
		// reads the answer, and it is no server fault.
		c.Response().WriteHeader(statusClientClosed)
		return
	}
	status, body := classify(err)
	if status >= 500 {
		slog.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	var werr error
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || isProbe(c.Request().URL.Path) {
		werr = c.JSON(status, map[string]apiError{"error": body})
	} else {
		werr = s.renderError(c, status)
	}
	if werr != nil {
		slog.Error("write error response", "err", werr)
	}
}

func classify(err error) (int, apiError) {
	var (
		perr *search.ParamError
		verr *models.ValidationError
		herr *echo.HTTPError
	)
	switch {
	case errors.As(err, &perr):
		return http.StatusBadRequest, apiError{Code: "invalid_parameter", Message: perr.Error(), Param: perr.Param}
	case errors.As(err, &verr):
		return http.StatusBadRequest, apiError{Code: "invalid", Message: verr.Error()}
	case errors.Is(err, models.ErrNotFound):
		return http.StatusNotFound, apiError{Code: "not_found", Message: "not found"}
	case errors.Is(err, models.ErrForbidden):
		return http.StatusForbidden, apiError{Code: "forbidden", Message: "not allowed"}
	case errors.Is(err, models.ErrConflict):
		return http.StatusConflict, apiError{Code: "conflict", Message: "conflict"}
	case errors.As(err, &herr):
		msg := http.StatusText(herr.Code)
		if m, ok := herr.Message.(string); ok && herr.Code < 500 {
			msg = m
		}
		return herr.Code, apiError{Code: strings.ReplaceAll(strings.ToLower(http.StatusText(herr.Code)), " ", "_"), Message: msg}
	}
	return http.StatusInternalServerError, apiError{Code: "internal", Message: "internal error"}
}
