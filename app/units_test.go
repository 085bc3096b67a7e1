package app

import (
	"math"
	"testing"
	"time"
)

func TestEuro(t *testing.T) {
	for _, tc := range []struct {
		cents  int64
		it, en string
	}{
		{0, "€ 0,00", "€0.00"},
		{5, "€ 0,05", "€0.05"},
		{1600, "€ 16,00", "€16.00"},
		{123450, "€ 1.234,50", "€1,234.50"},
		{100000000, "€ 1.000.000,00", "€1,000,000.00"},
		{-250, "-€ 2,50", "-€2.50"},
		{math.MinInt64, "-€ 92.233.720.368.547.758,08", "-€92,233,720,368,547,758.08"},
	} {
		if got := Euro(tc.cents); got != tc.it {
			t.Errorf("Euro(%d) = %q, want %q", tc.cents, got, tc.it)
		}
		if got := EuroEnglish(tc.cents); got != tc.en {
			t.Errorf("EuroEnglish(%d) = %q, want %q", tc.cents, got, tc.en)
		}
	}
}

func TestPlaceTitle(t *testing.T) {
	for in, want := range map[string]string{
		"SESTO SAN GIOVANNI":   "Sesto San Giovanni",
		"CASSANO D'ADDA":       "Cassano d'Adda",
		"REGGIO NELL'EMILIA":   "Reggio nell'Emilia",
		"CINISELLO BALSAMO":    "Cinisello Balsamo",
		"SAN DONATO MILANESE":  "San Donato Milanese",
		"CASTEL DEL PIANO":     "Castel del Piano",
		"L'AQUILA":             "L'Aquila",
		"MILANO":               "Milano",
		"BOLZANO/BOZEN":        "Bolzano/Bozen",
		"SANT'ANGELO A CUPOLO": "Sant'Angelo a Cupolo",
		"EMILIA-ROMAGNA":       "Emilia-Romagna",
		"Sesto San Giovanni":   "Sesto San Giovanni",
		"DI":                   "Di",
		"":                     "",
	} {
		if got := PlaceTitle(in); got != want {
			t.Errorf("PlaceTitle(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRome(t *testing.T) {
	// 23:30 UTC on 31 December is already New Year in Italy: the protocol's year.
	at := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC).In(Rome)
	if at.Year() != 2027 || at.Hour() != 0 {
		t.Fatalf("in Rome: %v", at)
	}
}
