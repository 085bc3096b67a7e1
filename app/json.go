package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// DecodeJSON reads exactly one JSON value into v, refusing a key v does
// not know and anything after the value. Every format of records, facts
// and the sync protocol is read this way: a key renamed in a later version
// (docs/VOCABULARY.md) is refused with its name, never silently dropped
// and the field left empty.
//
// The error is plain (not an *Error): the caller says what it was reading,
// with its own code.
func DecodeJSON(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("dati oltre la fine del JSON")
	}
	return nil
}

// jsonProblem says in Italian what encoding/json found, naming the key
// that was refused.
func jsonProblem(err error) error {
	msg := err.Error()
	if k, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return fmt.Errorf("campo %s sconosciuto", k)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Errorf("campo %q di tipo errato (%s)", te.Field, te.Value)
	}
	return err
}
