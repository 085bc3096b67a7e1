package chime

import (
	"bytes"
	"encoding/binary"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestWAV reads the file back as a player would: a RIFF/WAVE header that
// agrees with its data, 16-bit mono PCM at Rate, Duration long, and two
// tones that start loud and fade.
func TestWAV(t *testing.T) {
	b := WAV()
	le := binary.LittleEndian
	if string(b[0:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" {
		t.Fatalf("header %q", b[:44])
	}
	if got := int(le.Uint32(b[4:8])); got != len(b)-8 {
		t.Errorf("RIFF size %d, want %d", got, len(b)-8)
	}
	format, channels, rate, bits := le.Uint16(b[20:22]), le.Uint16(b[22:24]), le.Uint32(b[24:28]), le.Uint16(b[34:36])
	if format != 1 || channels != 1 || rate != Rate || bits != 16 {
		t.Errorf("format %d, channels %d, rate %d, bits %d: want PCM mono %d 16", format, channels, rate, bits, Rate)
	}
	if le.Uint32(b[28:32]) != Rate*2 || le.Uint16(b[32:34]) != 2 {
		t.Errorf("byte rate %d, block align %d", le.Uint32(b[28:32]), le.Uint16(b[32:34]))
	}
	data := int(le.Uint32(b[40:44]))
	if data != len(b)-44 {
		t.Fatalf("data size %d, file holds %d", data, len(b)-44)
	}
	samples := make([]int16, data/2)
	binary.Read(bytes.NewReader(b[44:]), le, samples)
	if got := float64(len(samples)) / Rate; math.Abs(got-Duration.Seconds()) > 0.01 {
		t.Errorf("lasts %.3f s, want %v", got, Duration)
	}
	peak := func(s []int16) int {
		m := 0
		for _, v := range s {
			m = max(m, int(v), -int(v))
		}
		return m
	}
	half := len(samples) / 2
	for i, tone := range [][]int16{samples[:half], samples[half:]} {
		start, end := peak(tone[:Rate/20]), peak(tone[len(tone)-Rate/20:])
		if start < math.MaxInt16/3 || end >= start/2 {
			t.Errorf("tone %d: peak %d at its start, %d at its end: want loud, then fading", i+1, start, end)
		}
	}
}

func TestNew(t *testing.T) {
	t.Run("WritesTheFile", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "chime.wav")
		New(path, io.Discard, slog.New(slog.DiscardHandler))
		got, err := os.ReadFile(path)
		if err != nil || !bytes.Equal(got, WAV()) {
			t.Fatalf("chime file: %d bytes, %v", len(got), err)
		}
	})
	t.Run("BellWithoutAPlayer", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		var bell bytes.Buffer
		play := New(filepath.Join(t.TempDir(), "chime.wav"), &bell, slog.New(slog.DiscardHandler))
		play()
		if bell.String() != "\a" {
			t.Fatalf("rang %q, want the terminal bell", bell.String())
		}
	})
}
