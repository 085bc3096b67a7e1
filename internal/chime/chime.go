// Package chime is the display board's call sound: a two-tone "ding-dong"
// synthesised here as a WAV file (16-bit mono PCM: no audio library, no
// asset to ship) and played with the first player the machine has.
package chime

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"time"
)

// Rate is the WAV's sample rate; Duration is how long the chime lasts.
const (
	Rate     = 22050
	Duration = 900 * time.Millisecond
)

// players are tried in order; the first found on PATH plays the file.
var players = [][]string{{"paplay"}, {"aplay", "-q"}, {"ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"}}

// New writes the chime to path once and returns the function that plays
// it. Without a player, or when playing fails, it rings the terminal bell
// on bell instead: the board never stays silent for lack of audio.
func New(path string, bell io.Writer, log *slog.Logger) func() {
	if err := os.WriteFile(path, WAV(), 0o600); err != nil {
		log.Warn("chime", "err", err)
	}
	var player []string
	for _, p := range players {
		if _, err := exec.LookPath(p[0]); err == nil {
			player = p
			break
		}
	}
	return func() {
		if player == nil {
			fmt.Fprint(bell, "\a")
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := exec.CommandContext(ctx, player[0], append(player[1:], path)...).Run(); err != nil {
			fmt.Fprint(bell, "\a")
		}
	}
}

// WAV is the chime: two decaying sine tones, E5 then C5, each half the
// Duration.
func WAV() []byte {
	var pcm []int16
	for _, tone := range []float64{659.25, 523.25} {
		n := int(Duration.Seconds() * Rate / 2)
		for i := range n {
			t := float64(i) / Rate
			v := math.Sin(2*math.Pi*tone*t) * math.Exp(-4*t) * 0.6
			pcm = append(pcm, int16(v*math.MaxInt16))
		}
	}
	var b bytes.Buffer
	data := len(pcm) * 2
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	// fmt chunk: its size, PCM, mono, the rate, bytes per second, bytes per frame, bits per sample.
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(Rate), uint32(Rate * 2), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	binary.Write(&b, binary.LittleEndian, pcm)
	return b.Bytes()
}
