// Package demo only forwards to internal/population, the generator of the
// demo network's anagrafe, which moved out of app/ because it is not
// domain. It stays until the desktop binary's tests import the new path.
//
// Deprecated: use github.com/sportello/sportello/internal/population.
package demo

import (
	"github.com/sportello/sportello/app"
	"github.com/sportello/sportello/internal/population"
)

// Options is population.Options.
//
// Deprecated: use population.Options.
type Options = population.Options

// Generate is population.Generate.
//
// Deprecated: use population.Generate.
func Generate(o Options) ([]app.Citizen, error) { return population.Generate(o) }
