package upload

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// read returns all of r, or a Problem once it passes limit bytes: reading one byte more than the
// limit is how an exact-limit file is told from a bigger one without trusting a declared size.
func read(r io.Reader, limit int64) ([]byte, error) {
	if limit <= 0 {
		return nil, errors.New("upload: limit must be positive")
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("upload: read: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, problem(KeyTooLarge, map[string]any{"Max": limit})
	}
	if len(data) == 0 {
		return nil, problem(KeyEmpty, nil)
	}
	return data, nil
}

// ext is the file name's extension in lower case, ".pdf". Browsers send only the base name, but
// older ones sent the whole Windows path, which filepath.Ext handles as well.
func ext(filename string) string {
	return strings.ToLower(filepath.Ext(filename))
}
